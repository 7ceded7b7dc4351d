package org.steno.archive.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.index.TranscriptDocuments;
import org.steno.archive.query.SearchQueryParser;
import org.steno.archive.search.ArchiveSearcher;
import org.steno.archive.search.SearchResult;
import org.steno.archive.search.SearchScope;
import org.steno.archive.search.SortOrder;
import org.steno.proto.transcript.v1.Transcript;

/**
 * {@code steno bench search [--hours N] [--queries N] [--dir DIR] [--seed S]}: builds a synthetic
 * archive of N one-hour meetings ({@link SyntheticArchive}, 10,000 by default) into a fresh index,
 * reports its size and build time, then the latency (p50/p95/p99) of single words, phrases,
 * speaker-filtered and date-filtered queries through the same search the server runs (page 1,
 * 10 meetings, highlighted), and how long a new transcript takes to be searchable once handed
 * to the index (the bucket's poll comes on top: see the README).
 */
public final class SearchBench {

    private SearchBench() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int hours = 10_000;
        int queries = 200;
        long seed = 1;
        Path dir = null;
        boolean reuse = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--hours" -> hours = Integer.parseInt(args[++i]);
                    case "--queries" -> queries = Integer.parseInt(args[++i]);
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--dir" -> dir = Path.of(args[++i]);
                    case "--reuse" -> reuse = true;
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
        } catch (RuntimeException e) {
            err.println("usage: steno bench search [--hours N] [--queries N] [--dir DIR [--reuse]] [--seed S]");
            return 2;
        }
        if (hours < 1 || queries < 1) {
            err.println("steno bench search: --hours and --queries are at least 1");
            return 2;
        }
        try {
            Path d = dir != null ? dir : Files.createTempDirectory("steno-bench-search");
            try {
                bench(d, hours, queries, seed, reuse && dir != null, out);
            } finally {
                if (dir == null) {
                    delete(d);
                }
            }
            return 0;
        } catch (IOException e) {
            err.println("steno bench search: " + e.getMessage());
            return 1;
        }
    }

    private static void bench(Path dir, int hours, int queries, long seed, boolean reuse, PrintStream out) throws IOException {
        long words = 0;
        long segments = 0;
        long t0 = System.nanoTime();
        try (ArchiveIndex index = ArchiveIndex.open(dir.resolve("index"))) {
            // --reuse: the queries again on the archive an earlier run with the same --hours and --seed left in --dir.
            boolean built = reuse && index.segmentCount() > 0;
            if (built) {
                segments = index.segmentCount();
                out.printf("reusing the archive in %s: %d segments (built by an earlier run)%n", dir, segments);
            }
            for (int n = 0; n < hours && !built; n++) {
                Transcript t = SyntheticArchive.meeting(seed, n);
                String key = "meetings/" + t.getMeetingId() + "/transcripts/live-0/transcript.json";
                index.replace(key, TranscriptDocuments.of(key, "bench", t.getMeetingId(), "live-0", t));
                segments += t.getSegmentsCount();
                for (var s : t.getSegmentsList()) {
                    words += s.getText().chars().filter(c -> c == ' ').count() + 1;
                }
                if ((n + 1) % 1000 == 0) {
                    out.printf("  indexed %d meeting-hours (%.0f s)%n", n + 1, (System.nanoTime() - t0) / 1e9);
                }
            }
            index.commit();
            double buildS = (System.nanoTime() - t0) / 1e9;
            long bytes;
            try (Stream<Path> files = Files.walk(dir.resolve("index"))) {
                bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            }
            if (built) {
                out.printf("archive: %d segments; index %.1f MiB%n", segments, bytes / 1048576.0);
            } else {
                out.printf("archive: %d meeting-hours, %d segments, %d words; index %.1f MiB, built in %.1f s (%.0f segments/s)%n",
                        hours, segments, words, bytes / 1048576.0, buildS, segments / buildS);
            }

            ArchiveSearcher searcher = new ArchiveSearcher(index);
            SplittableRandom rnd = new SplittableRandom(seed);
            List<String> kinds = List.of("word", "phrase", "speaker", "date");
            // Warm-up: the JIT and the OS cache, not measured.
            for (int i = 0; i < 50; i++) {
                searcher.search(SearchQueryParser.parse(query("word", rnd, hours, seed)), SearchScope.all(), SortOrder.RELEVANCE, 1, 10);
            }
            for (String kind : kinds) {
                long[] ns = new long[queries];
                long hits = 0;
                for (int i = 0; i < queries; i++) {
                    String q = query(kind, rnd, hours, seed);
                    long s = System.nanoTime();
                    SearchResult r = searcher.search(SearchQueryParser.parse(q), SearchScope.all(), SortOrder.RELEVANCE, 1, 10);
                    ns[i] = System.nanoTime() - s;
                    hits += r.totalHits();
                }
                Arrays.sort(ns);
                out.printf("  %-8s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  (%d queries, %.0f hits each on average)%n", kind,
                        ns[queries / 2] / 1e6, ns[(int) (queries * 0.95)] / 1e6, ns[Math.min(queries - 1, (int) (queries * 0.99))] / 1e6,
                        queries, hits / (double) queries);
            }
            // A new transcript: handed to the index, committed, found.
            Transcript fresh = SyntheticArchive.meeting(seed + 1, hours + 1).toBuilder().setMeetingId("bench-new").build();
            String key = "meetings/bench-new/transcripts/live-0/transcript.json";
            long s = System.nanoTime();
            index.replace(key, TranscriptDocuments.of(key, "bench", "bench-new", "live-0", fresh));
            index.commit();
            SearchResult found = searcher.search(SearchQueryParser.parse("meeting:bench-new " + fresh.getSegments(0).getText().split(" ")[0]),
                    SearchScope.all(), SortOrder.RELEVANCE, 1, 10);
            out.printf("  a new 1-hour transcript is searchable %.0f ms after it is handed to the index (found: %s)%n",
                    (System.nanoTime() - s) / 1e6, found.totalHits() > 0);
        }
    }

    /** A query of one kind, made of words the archive uses (mid-frequency ranks, so not only "de"). */
    static String query(String kind, SplittableRandom rnd, int hours, long seed) {
        boolean french = rnd.nextBoolean();
        List<String> v = SyntheticArchive.vocabulary(french);
        String w = v.get(10 + rnd.nextInt(v.size() - 10));
        return switch (kind) {
            case "word" -> w;
            case "phrase" -> {
                // Two words that follow each other in a stored segment.
                Transcript t = SyntheticArchive.meeting(seed, rnd.nextInt(hours));
                String[] ws = t.getSegments(rnd.nextInt(t.getSegmentsCount())).getText().replace(".", "").split(" ");
                int i = rnd.nextInt(ws.length - 1);
                yield "\"" + ws[i] + " " + ws[i + 1] + "\"";
            }
            case "speaker" -> w + " speaker:\"" + SyntheticArchive.speakerName(rnd.nextInt(900)) + "\"";
            default -> {
                int month = 1 + rnd.nextInt(12);
                int year = 2025 + rnd.nextInt(2);
                yield w + " from:" + year + "-" + String.format("%02d", month) + " to:" + year + "-" + String.format("%02d", month);
            }
        };
    }

    private static void delete(Path d) throws IOException {
        try (Stream<Path> files = Files.walk(d)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
