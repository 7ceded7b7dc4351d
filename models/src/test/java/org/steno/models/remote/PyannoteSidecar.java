package org.steno.models.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pyannote sidecar ({@code models/pyannote-server}) for the Java tests: which Python runs it,
 * and a running sidecar process. A Python without Debian's gRPC packages fails the test with the
 * command that installs them ({@code ./steno test} does); it is never a skip.
 */
public final class PyannoteSidecar implements AutoCloseable {

    /** Debian's interpreter, where apt puts python3-grpcio; a pyenv or venv python3 on PATH lacks it. */
    static String python() {
        String chosen = System.getenv("STENO_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** The sidecar's directory; surefire runs in a module's directory (this one or server), an IDE maybe at the root. */
    static Path directory() {
        for (Path p : List.of(Path.of("pyannote-server"), Path.of("..", "models", "pyannote-server"), Path.of("models", "pyannote-server"))) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return Path.of("models", "pyannote-server").toAbsolutePath();
    }

    /** Fails (AssertionError) with the apt-get command when the Python packages are missing. */
    static void requirePythonGrpc() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python(), "-c", "import grpc, google.protobuf, grpc_tools")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(python() + " cannot import grpc, google.protobuf and grpc_tools, which the pyannote"
                    + " sidecar's tests need: apt-get install -y python3-grpcio python3-protobuf python3-grpc-tools"
                    + " (./steno test installs them; STENO_PYTHON picks another interpreter)\n" + out);
        }
    }

    private final Process process;
    private final CompletableFuture<String> stderr;
    /** host:port it listens on. */
    public final String address;

    /** Starts {@code python -m steno_pyannote} on a free loopback port with {@code env} added. */
    public PyannoteSidecar(Path stubs, Map<String, String> env) throws Exception {
        requirePythonGrpc();
        ProcessBuilder pb = new ProcessBuilder(python(), "-m", "steno_pyannote").directory(directory().toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("STENO_PYANNOTE_"));
        pb.environment().put("PYTHONPATH", directory().toString());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().put("STENO_PYANNOTE_LISTEN", "127.0.0.1:0");
        pb.environment().put("STENO_PYANNOTE_STUBS", stubs.toString());
        pb.environment().putAll(env);
        process = pb.start();
        stderr = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(stderr unreadable: " + e + ")";
            }
        });
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            line = null;
        }
        String prefix = "steno-pyannote listening on ";
        if (line == null || !line.startsWith(prefix)) {
            process.destroyForcibly();
            throw new AssertionError("the pyannote sidecar did not start (first line " + line + "); stderr:\n"
                    + stderr.get(10, TimeUnit.SECONDS));
        }
        address = line.substring(prefix.length()).trim();
    }

    /** Stops the sidecar (SIGTERM, then SIGKILL after 10 s) and returns what it logged. */
    String stop() throws Exception {
        // ProcessHandle.destroy sends SIGTERM and, unlike Process.destroy, leaves the pipes open to read the log.
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        return stderr.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Runs the sidecar's own unittest suite; returns exit code and combined output. */
    static List<String> runPythonTests(Path stubs) throws Exception {
        requirePythonGrpc();
        ProcessBuilder pb = new ProcessBuilder(python(), "-m", "unittest", "discover", "-s", "tests", "-v")
                .directory(directory().toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("STENO_PYANNOTE_"));
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        pb.environment().put("STENO_PYANNOTE_STUBS", stubs.toString());
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the sidecar's Python tests did not finish in 5 minutes:\n" + out.getNow(""));
        }
        List<String> result = new ArrayList<>();
        result.add(Integer.toString(p.exitValue()));
        result.add(out.get(10, TimeUnit.SECONDS));
        return result;
    }
}
