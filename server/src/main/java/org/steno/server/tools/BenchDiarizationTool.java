package org.steno.server.tools;

import java.io.PrintStream;
import java.util.Arrays;
import org.steno.models.diarize.bench.DiarizationBench;

/**
 * {@code steno bench diarization [--keep DIR] [--data DIR]}: DER, real-time factor and peak heap
 * of the builtin diarizer on mixtures built from espeak-ng voices and pocketsphinx-testdata
 * (see {@link DiarizationBench}). Receives the arguments after {@code bench}.
 */
public final class BenchDiarizationTool {

    private BenchDiarizationTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !args[0].equals("diarization")) {
            err.println("steno bench: " + (args.length == 0 ? "name a benchmark" : "unknown benchmark '" + args[0] + "'")
                    + "; available: diarization (usage: steno bench diarization [--keep DIR])");
            return 2;
        }
        return DiarizationBench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
}
