package org.steno.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code steno bench sfu}: its arguments, and a small run (the figures in the README come from the full one, by hand). */
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

    @Test
    void aSmallRunReportsTheForwardingDelayOfWhatItForwarded() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = SfuBench.run(new String[] {"--peers", "4", "--talkers", "2", "--cameras", "1", "--seconds", "3"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("forwarding delay p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, p99.9 [0-9.]+ ms, max [0-9.]+ ms \\((\\d+) packets")
                .matcher(text);
        assertThat(m.find()).as(text).isTrue();
        // Two talkers heard by three others each for 3 s at 50 packets/s: hundreds of forwarded packets, all sampled.
        assertThat(Long.parseLong(m.group(3))).isGreaterThan(300);
        assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0).isLessThanOrEqualTo(Double.parseDouble(m.group(2)));
        assertThat(text).containsPattern("heap left by GCs while measuring \\(MiB\\): (none|[0-9 ]+)");
    }
}
