package org.steno.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.steno.simulator.media.MediaLoop;
import org.steno.simulator.media.PeerMedia;
import org.steno.simulator.signal.Deployment;

/**
 * N simulated participants in one meeting from one JVM: they join a few at a time, connect their media, send and
 * receive for the given time, leave, and are summed up in a {@link SimulationReport}. A handful of threads
 * whatever N is: {@link MediaLoop}'s readers, ticker and handshake pool, and a small pool for the blocking joins.
 */
public final class Simulation {

    /** What to simulate; {@code talkers} are the first participants, {@code cameras} the first ones too. */
    public record Settings(String meetingId, int peers, int talkers, int cameras, Duration duration, int verifyEvery) {
        public Settings(String meetingId, int peers, int talkers, int cameras, Duration duration) {
            this(meetingId, peers, talkers, cameras, duration, 1);
        }

        public Settings {
            if (verifyEvery < 1) {
                throw new IllegalArgumentException("--verify-every must be at least 1");
            }
            if (peers < 1 || peers > 1000) {
                throw new IllegalArgumentException("--peers must be 1 to 1000");
            }
            if (talkers < 0 || talkers > peers) {
                throw new IllegalArgumentException("--talkers must be 0 to the number of peers");
            }
            if (cameras < 0 || cameras > peers) {
                throw new IllegalArgumentException("--cameras must be 0 to the number of peers");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--seconds must be positive");
            }
        }
    }

    /** Joins in flight at once: a crowd arriving, without a thread per participant. */
    static final int JOINS_IN_FLIGHT = 8;
    /** DTLS handshakes at once: BouncyCastle's client holds a thread while it waits for the server's flights. */
    static final int HANDSHAKE_THREADS = 8;
    /** How long everyone has to join and connect before the measured time starts anyway. */
    static final Duration CONNECT_DEADLINE = Duration.ofSeconds(150);

    private final Settings settings;

    public Simulation(Settings settings) {
        this.settings = settings;
    }

    public SimulationReport run(Deployment deployment, PrintStream progress) throws IOException, InterruptedException {
        return run(deployment, progress, () -> { }, () -> { });
    }

    /** As above; {@code atStart} and {@code atEnd} run when the measured time starts and ends (a benchmark's probes). */
    public SimulationReport run(Deployment deployment, PrintStream progress, Runnable atStart, Runnable atEnd)
            throws IOException, InterruptedException {
        int readers = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        List<SimulatedPeer> peers = new ArrayList<>();
        ExecutorService joins = Executors.newFixedThreadPool(JOINS_IN_FLIGHT, r -> {
            Thread t = new Thread(r, "simulate-join");
            t.setDaemon(true);
            return t;
        });
        long t0 = System.nanoTime();
        try (MediaLoop loop = new MediaLoop(readers, HANDSHAKE_THREADS)) {
            for (int i = 0; i < settings.peers(); i++) {
                SimulatedPeer p = new SimulatedPeer(i, settings.meetingId(), i < settings.talkers(), i < settings.cameras(),
                        settings.verifyEvery());
                peers.add(p);
                joins.execute(() -> p.start(deployment, loop));
            }
            long deadline = t0 + CONNECT_DEADLINE.toNanos();
            int lastShown = -1;
            while (System.nanoTime() < deadline) {
                int connected = 0;
                int done = 0;
                for (SimulatedPeer p : peers) {
                    boolean up = p.media.state() == PeerMedia.State.CONNECTED;
                    connected += up ? 1 : 0;
                    done += up || p.failure() != null ? 1 : 0;
                }
                if (connected != lastShown && progress != null) {
                    progress.printf("  %d/%d connected%n", connected, peers.size());
                    lastShown = connected;
                }
                if (done == peers.size()) {
                    break;
                }
                Thread.sleep(250); // polling the peers' states for the progress line
            }
            double joinSeconds = (System.nanoTime() - t0) / 1e9;
            if (progress != null) {
                progress.printf("  sending and receiving for %d s%n", settings.duration().toSeconds());
            }
            atStart.run();
            long measureStart = System.nanoTime();
            long cpuStart = processCpuNanos();
            long[] packetsStart = packets(peers);
            Thread.sleep(settings.duration().toMillis()); // the simulated meeting runs this long
            double measuredSeconds = (System.nanoTime() - measureStart) / 1e9;
            double cores = cpuStart < 0 ? -1 : (processCpuNanos() - cpuStart) / 1e9 / measuredSeconds;
            long[] packetsEnd = packets(peers);
            atEnd.run();
            for (SimulatedPeer p : peers) {
                p.leave();
            }
            loop.close();
            return SimulationReport.of(settings, peers, joinSeconds, measuredSeconds,
                    new SimulationReport.Window(packetsEnd[0] - packetsStart[0], packetsEnd[1] - packetsStart[1], cores));
        } finally {
            joins.shutdownNow();
            joins.awaitTermination(5, TimeUnit.SECONDS);
            for (SimulatedPeer p : peers) {
                p.media.close();
            }
        }
    }

    /** {received, sent} RTP packets of every peer so far. */
    private static long[] packets(List<SimulatedPeer> peers) {
        long received = 0;
        long sent = 0;
        for (SimulatedPeer p : peers) {
            received += p.media.counters().audioReceived.sum() + p.media.counters().videoReceived.sum();
            sent += p.media.counters().audioSent.sum() + p.media.counters().videoSent.sum();
        }
        return new long[] {received, sent};
    }

    /** CPU time of this whole process (the clients, and the server when it runs in the same JVM), or -1. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
