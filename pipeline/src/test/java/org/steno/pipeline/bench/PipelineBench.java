package org.steno.pipeline.bench;

import com.google.protobuf.util.Durations;
import io.grpc.Server;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.steno.pipeline.EmbeddedPipeline;
import org.steno.pipeline.PipelineOptions;
import org.steno.pipeline.testing.FixedDelayFakeTranscriber;
import org.steno.pipeline.testing.ReplayMediaTap;
import org.steno.pipeline.testing.TestServers;
import org.steno.pipeline.testing.WavAudio;
import org.steno.subtitles.fanout.CaptionFanout;
import org.steno.subtitles.fanout.CaptionViewer;
import org.steno.subtitles.ingest.CaptionIngestService;

/**
 * Caption latency and throughput of the pipeline with the fixed-delay fake model, on the
 * embedded MiniCluster (what {@code steno up} runs). Meetings of 4 speakers stream librivox
 * speech in real time through a replay MediaTap (gRPC); captions go through a real
 * CaptionIngestService and fan-out to a viewer that timestamps them. Latency of an interim =
 * arrival − (media-time-0 + end of its last word): the model's fixed delay plus the
 * pipeline's own cost, which is reported separately.
 *
 * <p>It also reports CPU per thread group (pipeline vs each test double vs JIT/GC) and the
 * pipeline's CPU per second of one track's audio, which does not depend on how loaded the
 * shared machine is.
 *
 * <p>Run with plain {@code java} on the test class path (see the module README; under
 * {@code mvn exec:java} Flink's user-code class loader cannot see the plugin's class path):
 * {@code java -cp target/classes:target/test-classes:<test deps> org.steno.pipeline.bench.PipelineBench
 * --tracks 8,200,300,500 --seconds 20 --delay-ms 50}
 */
public final class PipelineBench {

    private PipelineBench() {
    }

    /** Collects (arrival − word end) for interims, in ms. */
    static final class LatencyViewer implements CaptionViewer {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final ReplayMediaTap tap;
        final String meeting;
        volatile long events;

        LatencyViewer(ReplayMediaTap tap, String meeting) {
            this.tap = tap;
            this.meeting = meeting;
        }

        @Override
        public void send(String json, Consumer<Throwable> done) {
            long now = System.currentTimeMillis();
            done.accept(null);
            if (!json.contains("\"segmentId\"")) {
                return;
            }
            events++;
            if (!json.contains("\"kind\":\"CAPTION_KIND_INTERIM\"")) {
                return;
            }
            long wordEnd = lastWordEndMs(json);
            if (wordEnd < 0) {
                return;
            }
            long zero = tap.mediaZeroEpochMs(meeting);
            // The replay tap sends a 20 ms frame at its start time: the frame holding the word's last
            // sample left the tap at wordEnd − 20 ms. Latency counts from there.
            latencies.add(now - (zero + (long) ((wordEnd - 20) / tap.speed())));
        }

        @Override
        public void close(String reason) {
        }
    }

    /**
     * Media end of the last word of a caption's JSON (compact protobuf JSON, as the fan-out
     * sends it), −1 without words. A scan, not a JSON parse: the viewer runs on the machine
     * it measures, and parsing every caption cost more than some pipeline stages.
     */
    static long lastWordEndMs(String json) {
        int words = json.indexOf("\"words\":[");
        if (words < 0) {
            return -1;
        }
        // The end of the words array: the first ']' outside a string.
        boolean inString = false;
        int end = -1;
        for (int i = words + 9; i < json.length() && end < 0; i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ']') {
                end = i;
            }
        }
        String key = "\"mediaEnd\":\"";
        int at = json.lastIndexOf(key, end);
        if (end < 0 || at < words) {
            return -1;
        }
        int from = at + key.length();
        return Durations.toMillis(parseDuration(json.substring(from, json.indexOf('"', from))));
    }

    private static com.google.protobuf.Duration parseDuration(String s) {
        try {
            return Durations.parse(s);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException("not a protobuf JSON duration: " + s, e);
        }
    }

    public static void main(String[] args) throws Exception {
        List<Integer> trackCounts = List.of(8, 100, 200, 400);
        int seconds = 20;
        long delayMs = 50;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--tracks" -> trackCounts = java.util.Arrays.stream(args[i + 1].split(",")).map(Integer::parseInt).toList();
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--delay-ms" -> delayMs = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, %d MiB max heap, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "fake model delay %d ms; %d s of real-time speech per run; parallelism 2%n", delayMs, seconds);
        System.out.println("tracks  interims  p50 ms  p95 ms  p99 ms  pipeline p50/p95 (minus model)  cpu%  kept up");
        byte[][] voices = {
            WavAudio.withPauses(800, WavAudio.librivox("0870"), WavAudio.librivox("0890"), WavAudio.librivox("0930")),
            WavAudio.withPauses(1100, WavAudio.librivox("0880"), WavAudio.librivox("0920"), WavAudio.librivox("0870")),
        };
        run(8, 6, delayMs, voices, false); // warm-up: JIT, class loading, first MiniCluster
        for (int tracks : trackCounts) {
            run(tracks, seconds, delayMs, voices, true);
        }
        System.exit(0);
    }

    static void run(int tracks, int seconds, long delayMs, byte[][] voices, boolean print) throws Exception {
        Path dir = Files.createTempDirectory("bench-s3");
        FixedDelayFakeTranscriber model = new FixedDelayFakeTranscriber(delayMs);
        ReplayMediaTap tap = new ReplayMediaTap(1.0);
        CaptionFanout fanout = new CaptionFanout(10_000, 100_000);
        List<LatencyViewer> viewers = new ArrayList<>();
        try (TestServers.S3 s3 = TestServers.s3(dir)) {
            // One server per test double, each on its own named threads, so their CPU is told apart.
            Server tapServer = TestServers.grpc("h-tap", 0, tap);
            Server modelServer = TestServers.grpc("h-model", 0, model);
            Server captionServer = TestServers.grpc("h-captions", 0, new CaptionIngestService(fanout));
            EmbeddedPipeline pipeline = new EmbeddedPipeline();
            pipeline.start(PipelineOptions.of(local(tapServer), local(modelServer), local(captionServer), s3.settings())
                    .withParallelism(2).withCheckpointInterval(2000)
                    .withCheckpointDir(dir.resolve("checkpoints").toUri().toString()));
            int meetings = (tracks + 3) / 4;
            byte[][] clipped = new byte[voices.length][];
            for (int v = 0; v < voices.length; v++) {
                clipped[v] = java.util.Arrays.copyOf(voices[v], Math.min(voices[v].length, seconds * 32_000));
            }
            ThreadCpu threads = new ThreadCpu();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int m = 0; m < meetings; m++) {
                String id = "bench-" + tracks + "-" + m;
                List<ReplayMediaTap.Speaker> speakers = new ArrayList<>();
                for (int s = 0; s < 4 && m * 4 + s < tracks; s++) {
                    speakers.add(new ReplayMediaTap.Speaker("t" + s, "p" + s, "Speaker " + s, clipped[(m + s) % voices.length]));
                }
                LatencyViewer viewer = new LatencyViewer(tap, id);
                fanout.subscribe(id, viewer);
                viewers.add(viewer);
                tap.meeting(id, speakers.toArray(new ReplayMediaTap.Speaker[0]));
            }
            for (int i = 0; i < seconds + 4; i++) {
                Thread.sleep(1000);
                if (i % 5 == 0 && !"RUNNING".equals(String.valueOf(pipeline.status()))) {
                    System.out.println("  job " + pipeline.status() + ": " + pipeline.failure());
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - cpu0) / 1e9 / wall * 100;
            Map<String, Double> split = threads.percentByGroup(wall, cpu);
            List<Long> all = new ArrayList<>();
            viewers.forEach(v -> all.addAll(v.latencies));
            Collections.sort(all);
            long p50 = pct(all, 50);
            long p95 = pct(all, 95);
            boolean keptUp = !all.isEmpty() && p95 < delayMs + 500;
            if (print) {
                System.out.printf(Locale.ROOT, "%6d  %8d  %6d  %6d  %6d  %14d / %d  %12.0f  %s%n", tracks, all.size(), p50, p95,
                        pct(all, 99), p50 - delayMs, p95 - delayMs, cpu, keptUp ? "yes" : "NO");
                StringBuilder b = new StringBuilder("        cpu % by thread group:");
                split.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s %.0f", k, v)));
                System.out.println(b);
                // Load-independent: the pipeline's own CPU per second of one track's audio that
                // the tap handed over (flow control holds audio back when the job is behind).
                double trackSeconds = tap.audioFramesSent.get() * 0.02;
                System.out.printf(Locale.ROOT, "        audio served %.0f track·s; pipeline CPU %.2f ms per track·s%n", trackSeconds,
                        split.get("pipeline") / 100 * wall * 1000 / Math.max(1, trackSeconds));
            }
            pipeline.close();
            TestServers.stop(tapServer);
            TestServers.stop(modelServer);
            TestServers.stop(captionServer);
        } finally {
            tap.shutdown();
            model.shutdown();
        }
    }

    private static String local(Server s) {
        return "127.0.0.1:" + s.getPort();
    }

    /**
     * CPU per thread group over a run (ThreadMXBean), in % of one core. Test doubles run on
     * their own named threads: {@code h-tap-*}/{@code replay-mediatap} (MediaTap fake),
     * {@code h-model-*}/{@code fake-transcriber-out} (model fake), {@code h-captions-*}
     * (CaptionIngest, the subtitle service's fan-out and this bench's viewer), {@code S3Proxy*}
     * (S3), {@code main}. Everything else is the pipeline: Flink's task, source, checkpoint
     * and runtime threads and its gRPC client channels ({@code grpc-default-*}). "jvm" is the
     * process CPU no live Java thread accounts for: GC, JIT, and threads that ended.
     */
    static final class ThreadCpu {
        private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> start = new HashMap<>();
        private final long gcMs0 = gcMs();
        private final long jitMs0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();

        private static long gcMs() {
            return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
        }

        ThreadCpu() {
            for (long id : mx.getAllThreadIds()) {
                start.put(id, Math.max(0, mx.getThreadCpuTime(id)));
            }
        }

        static String group(String name) {
            if (name.startsWith("h-tap") || name.startsWith("replay-mediatap")) {
                return "harness:tap";
            }
            if (name.startsWith("h-model") || name.startsWith("fake-transcriber")) {
                return "harness:model";
            }
            if (name.startsWith("h-captions")) {
                return "harness:captions+viewer";
            }
            if (name.startsWith("S3Proxy") || name.startsWith("main")) {
                return "harness:s3+main";
            }
            return "pipeline";
        }

        Map<String, Double> percentByGroup(double wallSeconds, double processPercent) {
            Map<String, Double> out = new TreeMap<>(Comparator.comparing((String k) -> !k.equals("pipeline")).thenComparing(k -> k));
            ThreadInfo[] infos = mx.getThreadInfo(mx.getAllThreadIds());
            double sum = 0;
            for (ThreadInfo t : infos) {
                if (t == null) {
                    continue;
                }
                long now = mx.getThreadCpuTime(t.getThreadId());
                if (now < 0) {
                    continue;
                }
                double pct = (now - start.getOrDefault(t.getThreadId(), 0L)) / 1e9 / wallSeconds * 100;
                out.merge(group(t.getThreadName()), pct, Double::sum);
                sum += pct;
            }
            out.put("jvm", Math.max(0, processPercent - sum));
            // What the JVM says of the "jvm" share: time in GC pauses and in JIT compilation (wall
            // time of those activities, an indication, not CPU).
            out.put("jvm:gc-pauses", (gcMs() - gcMs0) / 10.0 / wallSeconds);
            out.put("jvm:jit", (ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jitMs0) / 10.0 / wallSeconds);
            return out;
        }
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }
}
