package org.steno.server.tools;

import java.io.PrintStream;
import org.steno.recorder.bench.RecorderBench;

/** {@code steno bench recorder [--tracks N] [--seconds T]}: CPU of per-track and mixed recording. */
public final class BenchRecorderTool {

    private BenchRecorderTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return RecorderBench.run(args, out, err);
    }
}
