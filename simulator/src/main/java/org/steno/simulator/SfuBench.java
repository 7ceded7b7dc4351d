package org.steno.simulator;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.steno.conference.media.DelaySummary;

/**
 * {@code steno bench sfu [--peers N] [--talkers K] [--cameras K] [--seconds T]}: conference-core's SFU in this JVM
 * (real UDP on loopback, real signaling, the MediaTap decoding the talkers) under N simulated participants, and what
 * it costs: the CPU of the SFU's own threads ({@code media-*}: UDP readers, workers, timer, DTLS, tap decode) and of
 * the clients' ({@code simulate-*}) apart, forwarded packets/s from the SFU's counters, cores per 100k forwarded
 * packets/s, loss, the forwarding delay (the SFU's socket read to its send to each subscriber: p50, p99, p99.9, max),
 * and the heap: after a forced GC at the start and end of the measured time, and, between them, what every
 * collection left in the heap, sampled ten times (flat is the target; no GC is forced while measuring).
 */
public final class SfuBench {

    static final String USAGE = "usage: steno bench sfu [--peers N (150)] [--talkers K (3)] [--cameras K (12)] [--seconds T (60)]";

    private SfuBench() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int peers = 150;
        int talkers = 3;
        int cameras = 12;
        int seconds = 60;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                int v;
                try {
                    v = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + " needs a whole number, not '" + args[i] + "'");
                }
                switch (a) {
                    case "--peers" -> peers = v;
                    case "--talkers" -> talkers = v;
                    case "--cameras" -> cameras = v;
                    case "--seconds" -> seconds = v;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return bench(peers, talkers, cameras, seconds, out);
        } catch (IllegalArgumentException e) {
            err.println("steno bench sfu: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (Exception e) {
            err.println("steno bench sfu: failed: " + e);
            return 1;
        }
    }

    private static int bench(int peers, int talkers, int cameras, int seconds, PrintStream out) throws Exception {
        try (LocalConference conference = new LocalConference()) {
            Simulation.Settings settings = new Simulation.Settings(conference.createMeeting("bench"), peers,
                    Math.min(talkers, peers), Math.min(cameras, peers), Duration.ofSeconds(seconds), 1);
            Measure measure = new Measure(conference, Duration.ofSeconds(seconds));
            SimulationReport report = new Simulation(settings).run(conference, out, measure::start, measure::stop);
            report.print(out);
            double s = report.measuredSeconds();
            double forwarded = measure.forwarded() / s;
            double sfuCores = measure.cpu("media-") / 1e9 / s;
            double clientCores = measure.cpu("simulate-") / 1e9 / s;
            out.printf(Locale.ROOT, "steno bench sfu: %d participants (%d talking, %d cameras), %.0f s measured, %d cores here%n",
                    peers, settings.talkers(), settings.cameras(), s, Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "  forwarded       %.0f packets/s (audio %.0f, video %.0f)%n", forwarded,
                    measure.delta("sfu.forward.audio") / s, measure.delta("sfu.forward.video") / s);
            out.printf(Locale.ROOT, "  SFU CPU         %.2f cores (threads media-*), %.2f cores per 100k forwarded packets/s%n",
                    sfuCores, forwarded == 0 ? 0 : sfuCores / (forwarded / 100_000));
            out.printf(Locale.ROOT, "  clients CPU     %.2f cores (threads simulate-*)%n", clientCores);
            out.printf(Locale.ROOT, "  loss            %.3f %% of what the clients expected%n", report.lossPercent());
            DelaySummary delay = measure.delay;
            out.printf(Locale.ROOT, "  forwarding delay p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms (%d packets, read to send)%n",
                    delay.p50Nanos() / 1e6, delay.p99Nanos() / 1e6, delay.p999Nanos() / 1e6, delay.maxNanos() / 1e6,
                    delay.count());
            out.printf(Locale.ROOT, "  heap after GC   %.1f MiB at the start, %.1f MiB at the end%n",
                    measure.heapStart / 1048576.0, measure.heapEnd / 1048576.0);
            out.println("  heap left by GCs while measuring (MiB): " + measure.heapSamples());
            StringBuilder drops = new StringBuilder();
            measure.countersEnd.forEach((k, v) -> {
                long d = v - measure.countersStart.getOrDefault(k, 0L);
                if (d > 0 && (k.contains("drop") || k.contains("suppressed") || k.startsWith("stun."))) {
                    drops.append(' ').append(k).append('=').append(d);
                }
            });
            out.println("  SFU drops       " + (drops.length() == 0 ? " none" : drops));
            return report.failed().isEmpty() ? 0 : 1;
        }
    }

    /** Counters, per-thread CPU and heap at the start and the end of the measured window. */
    private static final class Measure {
        private final LocalConference conference;
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        private Map<String, Long> countersStart = Map.of();
        private Map<String, Long> countersEnd = Map.of();
        private Map<Long, long[]> cpuStart = Map.of(); // thread id → {cpu nanos}
        private final Map<String, Long> cpuByPrefix = new HashMap<>();
        private final Duration duration;
        private final List<Long> heapSamples = new CopyOnWriteArrayList<>();
        private ScheduledExecutorService sampler;
        long heapStart;
        long heapEnd;
        DelaySummary delay = DelaySummary.NONE;

        Measure(LocalConference conference, Duration duration) {
            this.conference = conference;
            this.duration = duration;
        }

        void start() {
            heapStart = heapAfterGc();
            countersStart = conference.counters();
            conference.forwardingDelaySinceLastRead(); // what the joins cost is not the meeting's
            cpuStart = cpu();
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-heap");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1000, duration.toMillis() / 10);
            sampler.scheduleAtFixedRate(() -> heapSamples.add(heapLeftByCollections()), every, every, TimeUnit.MILLISECONDS);
        }

        void stop() {
            Map<Long, long[]> end = cpu();
            countersEnd = conference.counters();
            delay = conference.forwardingDelaySinceLastRead();
            sampler.shutdownNow();
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t == null || !end.containsKey(t.getThreadId())) {
                    continue;
                }
                long before = cpuStart.containsKey(t.getThreadId()) ? cpuStart.get(t.getThreadId())[0] : 0;
                String prefix = t.getThreadName().startsWith("media-") ? "media-"
                        : t.getThreadName().startsWith("simulate-") ? "simulate-" : "other";
                cpuByPrefix.merge(prefix, end.get(t.getThreadId())[0] - before, Long::sum);
            }
            heapEnd = heapAfterGc();
        }

        private Map<Long, long[]> cpu() {
            Map<Long, long[]> m = new HashMap<>();
            for (long id : threads.getAllThreadIds()) {
                long c = threads.getThreadCpuTime(id);
                if (c >= 0) {
                    m.put(id, new long[] {c});
                }
            }
            return m;
        }

        /** The heap pools' usage after their last collection (0 for a pool not collected yet): no GC is forced. */
        private static long heapLeftByCollections() {
            long used = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
                if (after != null) {
                    used += after.getUsed();
                }
            }
            return used;
        }

        String heapSamples() {
            StringBuilder b = new StringBuilder();
            for (long v : heapSamples) {
                b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", v / 1048576.0));
            }
            return b.length() == 0 ? "none" : b.toString();
        }

        private long heapAfterGc() {
            System.gc(); // a benchmark's reading of the heap, not something the product does
            return memory.getHeapMemoryUsage().getUsed();
        }

        long cpu(String prefix) {
            return cpuByPrefix.getOrDefault(prefix, 0L);
        }

        long delta(String counter) {
            return countersEnd.getOrDefault(counter, 0L) - countersStart.getOrDefault(counter, 0L);
        }

        long forwarded() {
            return delta("sfu.forward.audio") + delta("sfu.forward.video");
        }
    }
}
