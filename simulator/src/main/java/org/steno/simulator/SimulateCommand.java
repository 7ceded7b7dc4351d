package org.steno.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.steno.simulator.signal.HttpDeployment;

/**
 * {@code steno simulate --meeting ID --peers N [--video [--cameras K]] [--talkers K] [--seconds T] [--server URL]}:
 * N participants join a meeting of a running deployment as guests by its link, as browsers do, send pre-encoded
 * Opus (and VP8 with {@code --video}), receive and count what the SFU sends them, and a summary is printed.
 * Exit codes: 0 everyone joined and connected, 1 some did not (each with its reason), 2 a bad argument.
 */
public final class SimulateCommand {

    static final String USAGE = "usage: steno simulate --meeting ID --peers N [--video [--cameras K]] [--talkers K]"
            + " [--seconds T] [--server URL (default http://localhost:8080)] [--verify-every N (decrypt 1 packet in N; default 1)]";

    private SimulateCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String meeting = null;
        Integer peers = null;
        boolean video = false;
        Integer cameras = null;
        int talkers = 3;
        int seconds = 30;
        String server = "http://localhost:8080";
        int verifyEvery = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--meeting" -> meeting = value(args, ++i, a);
                    case "--peers" -> peers = number(args, ++i, a);
                    case "--video" -> video = true;
                    case "--cameras" -> cameras = number(args, ++i, a);
                    case "--talkers" -> talkers = number(args, ++i, a);
                    case "--seconds" -> seconds = number(args, ++i, a);
                    case "--server" -> server = value(args, ++i, a);
                    case "--verify-every" -> verifyEvery = number(args, ++i, a);
                    case "--help", "-h" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            if (meeting == null || peers == null) {
                throw new IllegalArgumentException("--meeting and --peers are required");
            }
            if (cameras != null && !video) {
                throw new IllegalArgumentException("--cameras needs --video");
            }
            int n = peers;
            Simulation.Settings settings = new Simulation.Settings(meeting, n, Math.min(talkers, n),
                    video ? (cameras == null ? n : cameras) : 0, Duration.ofSeconds(seconds), verifyEvery);
            URI base = URI.create(server);
            ExecutorService http = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "simulate-http");
                t.setDaemon(true);
                return t;
            });
            try {
                HttpDeployment deployment = new HttpDeployment(base, http);
                out.printf("steno simulate: %d participants joining meeting %s at %s%n", n, meeting, base);
                SimulationReport report = new Simulation(settings).run(deployment, out);
                report.print(out);
                return report.failed().isEmpty() ? 0 : 1;
            } finally {
                http.shutdownNow();
            }
        } catch (IllegalArgumentException e) {
            err.println("steno simulate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("steno simulate: interrupted");
            return 1;
        } catch (java.io.IOException e) {
            err.println("steno simulate: " + e.getMessage());
            return 1;
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return args[i];
    }

    private static int number(String[] args, int i, String name) {
        String v = value(args, i, name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not '" + v + "'");
        }
    }
}
