package org.steno.recorder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The benchmark command runs end to end on a small meeting and refuses bad arguments in one sentence. */
class RecorderBenchTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return RecorderBench.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void smallRunPrintsEveryFigure() {
        assertThat(run("--tracks", "2", "--seconds", "3")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("2 speakers x 3 s").contains("per recorded track (copy)")
                .contains("per mixed recording").contains("decode per speaker").contains("LiveKit");
    }

    @Test
    void badArgumentsExitWith2AndOneSentence() {
        assertThat(run("--tracks", "many")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--tracks needs a whole number");
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(run("--seconds", "0")).isEqualTo(2);
    }
}
