package org.steno.server.tools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code steno bench <area>}: routes to the benchmark of one area — {@code speech}
 * ({@link BenchSpeechTool}), {@code diarization} ({@link BenchDiarizationTool}),
 * {@code recorder} ({@link BenchRecorderTool}), {@code captions} ({@link BenchCaptionsTool}) or {@code sfu}
 * ({@code org.steno.simulator.SfuBench}); each receives the arguments after its name
 * (diarization's tool takes its name too).
 */
public final class BenchTool {

    private BenchTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && args[0].equals("speech")) {
            return BenchSpeechTool.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("recorder")) {
            return BenchRecorderTool.run(java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("captions")) {
            return BenchCaptionsTool.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("sfu")) {
            return org.steno.simulator.SfuBench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("search")) {
            return org.steno.archive.bench.SearchBench.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        if (args.length > 0 && args[0].equals("diarization")) {
            return BenchDiarizationTool.run(args, out, err);
        }
        err.println("steno bench: " + (args.length == 0 ? "name a benchmark" : "unknown benchmark '" + args[0] + "'")
                + "; available: speech, diarization, recorder, captions, sfu, search (e.g. steno bench speech)");
        return 2;
    }
}
