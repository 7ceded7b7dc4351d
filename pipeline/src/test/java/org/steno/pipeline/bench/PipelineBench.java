package org.steno.pipeline.bench;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.grpc.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.steno.pipeline.EmbeddedPipeline;
import org.steno.pipeline.PipelineOptions;
import org.steno.pipeline.testing.FixedDelayFakeTranscriber;
import org.steno.pipeline.testing.ReplayMediaTap;
import org.steno.pipeline.testing.TestServers;
import org.steno.pipeline.testing.WavAudio;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
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
 * <p>Run: {@code mvn -q -o -pl pipeline test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=org.steno.pipeline.bench.PipelineBench -Dexec.args="--tracks 8,100,200,400 --seconds 20 --delay-ms 50"}
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
            CaptionEvent.Builder b = CaptionEvent.newBuilder();
            try {
                JsonFormat.parser().merge(json, b);
            } catch (Exception e) {
                return;
            }
            events++;
            if (b.getKind() != CaptionKind.CAPTION_KIND_INTERIM || b.getWordsCount() == 0) {
                return;
            }
            long zero = tap.mediaZeroEpochMs(meeting);
            long wordEnd = Durations.toMillis(b.getWords(b.getWordsCount() - 1).getMediaEnd());
            // The replay tap sends a 20 ms frame at its start time: the frame holding the word's last
            // sample left the tap at wordEnd − 20 ms. Latency counts from there.
            latencies.add(now - (zero + (long) ((wordEnd - 20) / tap.speed())));
        }

        @Override
        public void close(String reason) {
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
            Server server = TestServers.grpc(0, tap, model, new CaptionIngestService(fanout));
            String target = "127.0.0.1:" + server.getPort();
            EmbeddedPipeline pipeline = new EmbeddedPipeline();
            pipeline.start(PipelineOptions.of(target, target, target, s3.settings()).withParallelism(2).withCheckpointInterval(2000)
                    .withCheckpointDir(dir.resolve("checkpoints").toUri().toString()));
            int meetings = (tracks + 3) / 4;
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            for (int m = 0; m < meetings; m++) {
                String id = "bench-" + tracks + "-" + m;
                List<ReplayMediaTap.Speaker> speakers = new ArrayList<>();
                for (int s = 0; s < 4 && m * 4 + s < tracks; s++) {
                    byte[] v = voices[(m + s) % voices.length];
                    speakers.add(new ReplayMediaTap.Speaker("t" + s, "p" + s, "Speaker " + s,
                            java.util.Arrays.copyOf(v, Math.min(v.length, seconds * 32_000))));
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
            List<Long> all = new ArrayList<>();
            viewers.forEach(v -> all.addAll(v.latencies));
            Collections.sort(all);
            long p50 = pct(all, 50);
            long p95 = pct(all, 95);
            boolean keptUp = !all.isEmpty() && p95 < delayMs + 500;
            if (print) System.out.printf(Locale.ROOT, "%6d  %8d  %6d  %6d  %6d  %14d / %d  %12.0f  %s%n", tracks, all.size(), p50, p95,
                    pct(all, 99), p50 - delayMs, p95 - delayMs, cpu, keptUp ? "yes" : "NO");
            pipeline.close();
            TestServers.stop(server);
        } finally {
            tap.shutdown();
            model.shutdown();
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
