package org.steno.models.diarize.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.steno.models.diarize.BuiltinDiarizer;
import org.steno.models.diarize.DerScorer;
import org.steno.models.diarize.Rttm;
import org.steno.models.diarize.SpeakerCount;
import org.steno.models.diarize.StreamingDiarizer;
import org.steno.models.diarize.Turn;

/**
 * {@code steno bench diarization}: builds five 2-, 3- and 4-voice espeak-ng conversations each
 * (different seeds) and three conversations of two real readers (pocketsphinx-testdata),
 * diarizes each whole-file (number of speakers unknown, then given) and streaming (100 ms
 * chunks, 2 s latency budget), and prints per set the DER (collar 0.25 s, overlap scored; errors
 * summed over the set), its parts, how often the speaker count came out right, the real-time
 * factor on one core (thread CPU time / audio time) and the peak heap. Baseline in the same
 * run: all detected speech given to one speaker (what "no diarization" costs).
 */
public final class DiarizationBench {

    private DiarizationBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path keep = null;
        Path data = RealSpeech.DEFAULT_DIR;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keep" -> {
                    if (i + 1 >= args.length) {
                        err.println("steno bench diarization: --keep needs a directory");
                        return 2;
                    }
                    keep = Path.of(args[++i]);
                }
                case "--data" -> {
                    if (i + 1 >= args.length) {
                        err.println("steno bench diarization: --data needs the pocketsphinx test data directory");
                        return 2;
                    }
                    data = Path.of(args[++i]);
                }
                case "-h", "--help" -> {
                    out.println("usage: steno bench diarization [--keep DIR] [--data POCKETSPHINX_TEST_DATA]");
                    out.println("  --keep DIR   write the built mixtures (WAV + reference RTTM) and the hypotheses there");
                    return 0;
                }
                default -> {
                    err.println("steno bench diarization: unknown argument '" + args[i] + "'; see --help");
                    return 2;
                }
            }
        }
        try {
            return bench(keep, data, out);
        } catch (IOException e) {
            err.println("steno bench diarization: " + e.getMessage());
            return 2;
        }
    }

    /** One line of the table: a set of recordings diarized one way, errors summed over the set. */
    record Row(String set, String mode, int recordings, double seconds, int countRight, double reference, double missed,
               double falseAlarm, double confusion, double cpuSeconds) {
        double der() {
            return (missed + falseAlarm + confusion) / reference;
        }
    }

    /** Recordings per espeak-ng set (different seeds: turn order, lines, pauses, overlaps). */
    static final int SEEDS = 5;
    static final List<String> MODES = List.of("baseline-1spk", "auto", "given-N", "streaming");

    static int bench(Path keep, Path data, PrintStream out) throws IOException {
        Path work = Files.createTempDirectory("steno-bench-diarization");
        try {
            MeetingBuilder builder = new MeetingBuilder(work);
            java.util.Map<String, List<MeetingBuilder.Meeting>> sets = new java.util.LinkedHashMap<>();
            out.println("building mixtures with espeak-ng and " + data + " …");
            for (int n = 2; n <= 4; n++) {
                List<MeetingBuilder.Meeting> set = new ArrayList<>();
                for (int seed = 0; seed < SEEDS; seed++) {
                    set.add(builder.conversation("espeak-" + n + "-" + seed, Voice.STANDARD.subList(0, n), 8 + 4 * n, 0.15, 100L * n + seed));
                }
                sets.put("espeak-" + n + " voices", set);
            }
            List<MeetingBuilder.Meeting> real = new ArrayList<>();
            for (int seed = 0; seed < 3; seed++) {
                real.add(RealSpeech.twoReaders(data, 0.15, seed, "real-2-" + seed));
            }
            sets.put("real-2 (librivox + cards)", real);
            if (keep != null) {
                Files.createDirectories(keep);
                for (List<MeetingBuilder.Meeting> set : sets.values()) {
                    for (MeetingBuilder.Meeting m : set) {
                        m.write(keep);
                    }
                }
            }
            BuiltinDiarizer diarizer = new BuiltinDiarizer();
            // Warm-up so the JIT does not count against the first set.
            diarizer.diarize(real.get(0).samples(), SpeakerCount.UNKNOWN);
            streaming(real.get(0));
            resetPeakHeap();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            DerScorer scorer = new DerScorer();
            List<Row> rows = new ArrayList<>();
            for (var entry : sets.entrySet()) {
                for (String mode : MODES) {
                    double seconds = 0;
                    double reference = 0;
                    double missed = 0;
                    double falseAlarm = 0;
                    double confusion = 0;
                    double cpu = 0;
                    int countRight = 0;
                    for (MeetingBuilder.Meeting m : entry.getValue()) {
                        long cpu0 = threads.getCurrentThreadCpuTime();
                        List<Turn> turns = switch (mode) {
                            case "baseline-1spk" -> diarizer.diarize(m.samples(), SpeakerCount.exactly(1));
                            case "auto" -> diarizer.diarize(m.samples(), SpeakerCount.UNKNOWN);
                            case "given-N" -> diarizer.diarize(m.samples(), SpeakerCount.exactly(m.speakers()));
                            default -> streaming(m);
                        };
                        cpu += (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                        List<Rttm.Segment> hyp = Rttm.fromTurns(turns);
                        if (keep != null) {
                            Files.writeString(keep.resolve(m.name() + "." + mode + ".rttm"), Rttm.format(m.name(), hyp));
                        }
                        DerScorer.Result r = scorer.score(m.reference(), hyp);
                        seconds += m.seconds();
                        reference += r.referenceSpeech();
                        missed += r.missed();
                        falseAlarm += r.falseAlarm();
                        confusion += r.confusion();
                        if (turns.stream().mapToInt(Turn::speaker).distinct().count() == m.speakers()) {
                            countRight++;
                        }
                    }
                    rows.add(new Row(entry.getKey(), mode, entry.getValue().size(), seconds, countRight, reference, missed, falseAlarm, confusion, cpu));
                }
            }
            printTable(rows, out);
            out.printf(Locale.ROOT, "peak heap used %.0f MiB (garbage included); %d cores; java %s; collar %.2f s, overlap scored;"
                            + " RTF = thread CPU time / audio time%n",
                    peakHeapBytes() / 1048576.0, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), DerScorer.STANDARD_COLLAR);
            return 0;
        } finally {
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** Streaming in 100 ms chunks; the final turns. */
    static List<Turn> streaming(MeetingBuilder.Meeting m) {
        StreamingDiarizer stream = new StreamingDiarizer(new BuiltinDiarizer(), SpeakerCount.UNKNOWN, 2.0);
        int chunk = MeetingBuilder.SAMPLE_RATE / 10;
        float[] s = m.samples();
        for (int i = 0; i < s.length; i += chunk) {
            stream.accept(java.util.Arrays.copyOfRange(s, i, Math.min(s.length, i + chunk)));
        }
        stream.finish();
        return stream.finalTurns();
    }

    static void printTable(List<Row> rows, PrintStream out) {
        out.println();
        out.println("| set | recordings, audio | mode | speaker count right | DER % | missed % | false alarm % | confusion % | RTF (1 core) |");
        out.println("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %d, %.0f s | %s | %d/%d | %.1f | %.1f | %.1f | %.1f | %.4f |%n",
                    r.set(), r.recordings(), r.seconds(), r.mode(), r.countRight(), r.recordings(), 100 * r.der(),
                    100 * r.missed() / r.reference(), 100 * r.falseAlarm() / r.reference(), 100 * r.confusion() / r.reference(),
                    r.cpuSeconds() / r.seconds());
        }
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
