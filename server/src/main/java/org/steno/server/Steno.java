package org.steno.server;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Access;
import org.steno.server.config.ConfigException;
import org.steno.server.config.ConfigLoader;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * The {@code steno} command. Exit codes: 0 success, 1 unexpected failure, 2 something the
 * user can fix (usage, configuration, a port in use), always with one sentence saying what.
 */
public final class Steno {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private Steno() {
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        // A tool is done when it returns, whatever threads the libraries it used left behind
        // (a benchmark's embedded Flink, gRPC event loops); a server returns after its shutdown.
        boolean tool = args.length > 0 && TOOLS.contains(args[0]);
        if (code != EXIT_OK || tool) {
            System.exit(code);
        }
    }

    private static final java.util.Set<String> TOOLS = java.util.Set.of("transcribe", "bench", "replay", "bench-media", "simulate", "archive");

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        String command = args[0];
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (command.equals("accounts") || command.equals("audit")) {
            return org.steno.server.tools.AdminTool.run(command, rest, env, out, err);
        }
        if (command.equals("archive")) {
            return org.steno.server.tools.ArchiveTool.run(rest, env, out, err);
        }
        Integer toolExit = runTool(command, rest, out, err);
        if (toolExit != null) {
            return toolExit;
        }
        Path configFile = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                configFile = Path.of(args[i].substring("--config=".length()));
            } else {
                err.println("steno: unknown argument '" + args[i] + "' for '" + command + "'; see 'steno help'");
                return EXIT_USAGE;
            }
        }
        StenoConfig config;
        try {
            config = ConfigLoader.load(configFile, env);
        } catch (ConfigException e) {
            err.println("steno: " + e.getMessage());
            return EXIT_USAGE;
        }
        if (command.equals("config")) {
            printConfig(configFile, env, out);
            return EXIT_OK;
        }
        Role role = Role.parse(command);
        if (role == null) {
            err.println("steno: unknown command '" + command + "'; see 'steno help'");
            return EXIT_USAGE;
        }
        LogSetup.apply(config.logFormat());
        return serve(role, config);
    }

    /**
     * One-shot tools that modules publish (a class with {@code static int run(String[] args,
     * PrintStream out, PrintStream err)}); they parse their own arguments and return an exit
     * code. Returns null when {@code command} is not a tool.
     */
    private static Integer runTool(String command, String[] args, PrintStream out, PrintStream err) {
        return switch (command) {
            // Modules add their tools here, one line each, e.g.
            // case "transcribe" -> org.steno.models.cli.TranscribeCommand.run(args, out, err);
            case "transcribe" -> org.steno.server.tools.TranscribeTool.run(args, out, err);
            case "bench" -> org.steno.server.tools.BenchTool.run(args, out, err);
            case "replay" -> org.steno.server.tools.ReplayTool.run(args, out, err);
            case "bench-media" -> org.steno.conference.media.sfu.MediaBench.run(args, out, err);
            case "simulate" -> org.steno.simulator.SimulateCommand.run(args, out, err);
            default -> null;
        };
    }

    private static int serve(Role role, StenoConfig config) {
        Logger log = LoggerFactory.getLogger(Steno.class);
        StenoProcess process = new StenoProcess(role, config, new org.steno.server.access.StenoPolicy());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("stopping");
            process.close();
            stopped.countDown();
        }, "steno-shutdown");
        try {
            process.start();
        } catch (StartupException e) {
            System.err.println("steno: " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            log.error("steno {} failed to start", role.cliName(), e);
            System.err.println("steno: " + role.cliName() + " failed to start: " + e.getMessage());
            return EXIT_FAILURE;
        }
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println();
        System.out.println("Steno " + role.cliName() + " is running at " + process.publicUrl()
                + "  (gRPC :" + process.grpcPort()
                + (process.mediaPort() > 0 ? ", media udp/" + process.mediaPort() : "")
                + (process.storageTarget() != null ? ", S3 " + process.storageTarget().endpoint() : "")
                + ")  — Ctrl-C stops it");
        System.out.println();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_OK;
    }

    private static void printConfig(Path configFile, Map<String, String> env, PrintStream out) {
        out.println("Settings (defaults, then " + (configFile == null ? "no config file" : configFile)
                + ", then STENO_* environment variables):");
        for (Setting s : Setting.values()) {
            String fromEnv = env.get(s.envName());
            out.printf("  %-26s %-32s default '%s'%s%n    %s%n", s.key(), s.envName(), s.defaultValue(),
                    fromEnv != null ? " (set in the environment)" : "", s.description());
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: steno <command> [--config FILE]");
        out.println();
        out.println("commands:");
        for (Role r : Role.values()) {
            out.printf("  %-10s %s%n", r.cliName(), r.summary());
        }
        out.printf("  %-10s %s%n", "accounts", "list, add, disable, enable, reset-password, roles: local accounts");
        out.printf("  %-10s %s%n", "audit", "verify the audit log's hash chain, or export it (json, csv)");
        out.printf("  %-10s %s%n", "archive", "reindex: rebuild the search index from the transcripts in the bucket");
        out.printf("  %-10s %s%n", "config", "list every setting, its environment variable and default");
        out.printf("  %-10s %s%n", "simulate", "N simulated participants join a meeting as browsers do (load test)");
        out.printf("  %-10s %s%n", "help", "this text");
        out.println();
        out.println("Settings come from defaults, then --config FILE (key=value), then STENO_* variables.");
    }
}
