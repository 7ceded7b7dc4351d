package org.steno.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code steno simulate}'s arguments: a mistake is exit 2 with one sentence and the usage. */
class SimulateCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return SimulateCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mistakesAreExitTwoWithASentence() {
        assertThat(run("--peers", "3")).isEqualTo(2);
        assertThat(err()).contains("--meeting and --peers are required").contains("usage: steno simulate");
        err.reset();
        assertThat(run("--meeting", "abc", "--peers", "many")).isEqualTo(2);
        assertThat(err()).contains("--peers needs a whole number, not 'many'");
        err.reset();
        assertThat(run("--meeting", "abc", "--peers", "0")).isEqualTo(2);
        assertThat(err()).contains("--peers must be 1 to 1000");
        err.reset();
        assertThat(run("--meeting", "abc", "--peers", "2", "--cameras", "1")).isEqualTo(2);
        assertThat(err()).contains("--cameras needs --video");
        err.reset();
        assertThat(run("--meeting", "abc", "--peers", "2", "--bogus")).isEqualTo(2);
        assertThat(err()).contains("unknown argument '--bogus'");
        err.reset();
        assertThat(run("--meeting", "abc", "--peers", "2", "--server", "ftp://x")).isEqualTo(2);
        assertThat(err()).contains("--server must be an http:// or https:// URL");
    }

    @Test
    void helpIsExitZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: steno simulate");
    }
}
