package org.steno.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code steno bench sfu}'s arguments (the bench itself is run by hand; its figures are in the README). */
class SfuBenchTest {

    @Test
    void mistakesAreExitTwoWithASentence() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(SfuBench.run(new String[] {"--peers"}, System.out, e)).isEqualTo(2);
        assertThat(SfuBench.run(new String[] {"--peers", "x"}, System.out, e)).isEqualTo(2);
        assertThat(SfuBench.run(new String[] {"--frobnicate", "1"}, System.out, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--peers needs a value")
                .contains("--peers needs a whole number, not 'x'").contains("unknown argument '--frobnicate'")
                .contains("usage: steno bench sfu");
    }
}
