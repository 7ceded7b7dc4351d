package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.server.net.Ports;

/** Runs {@code steno} as its own JVM, as the launcher script does, and checks exit codes and signals. */
class StenoCommandTest {

    @TempDir
    Path tmp;

    private Process launch(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Steno.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("STENO_"));
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("stdout.txt").toFile());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        return pb.start();
    }

    private String stderr() throws IOException {
        return Files.readString(tmp.resolve("stderr.txt"));
    }

    private String stdout() throws IOException {
        return Files.readString(tmp.resolve("stdout.txt"));
    }

    private int exitOf(Process p) throws InterruptedException {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("process ended").isTrue();
        return p.exitValue();
    }

    @Test
    void unknownKeyInConfigFileExits2NamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("steno.properties"), "http.prot=1\n");
        Process p = launch(TestConfigs.ephemeralEnv(tmp.resolve("data")), "up", "--config", file.toString());
        assertThat(exitOf(p)).isEqualTo(2);
        assertThat(stderr()).contains("unknown setting 'http.prot'");
    }

    @Test
    void badPortExits2NamingIt() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        env.put("STENO_GRPC_PORT", "70000");
        Process p = launch(env, "up");
        assertThat(exitOf(p)).isEqualTo(2);
        assertThat(stderr().strip()).isEqualTo("steno: grpc.port (STENO_GRPC_PORT): 70000 is not a port number (0–65535)");
    }

    @Test
    void unwritableDataDirExits2NamingIt() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Process p = launch(TestConfigs.ephemeralEnv(file.resolve("data")), "up");
        assertThat(exitOf(p)).isEqualTo(2);
        assertThat(stderr()).startsWith("steno: data.dir (STENO_DATA_DIR): ").contains("not writable");
    }

    @Test
    void portInUseExits2NamingTheSettingAndLeavesNothingBound() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
            env.put("STENO_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            Process p = launch(env, "up");
            assertThat(exitOf(p)).isEqualTo(2);
            assertThat(stderr()).contains("http.port (STENO_HTTP_PORT): port " + taken.getLocalPort())
                    .contains("already in use");
        }
    }

    @Test
    void mediaPortInUseExits2NamingTheSetting() throws Exception {
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
            env.put("STENO_MEDIA_PORT", Integer.toString(taken.getLocalPort()));
            Process p = launch(env, "up");
            assertThat(exitOf(p)).isEqualTo(2);
            assertThat(stderr()).contains("media.port (STENO_MEDIA_PORT): port " + taken.getLocalPort()).contains("already in use");
        }
    }

    @Test
    void unknownCommandExits2() throws Exception {
        Process p = launch(TestConfigs.ephemeralEnv(tmp.resolve("data")), "fly");
        assertThat(exitOf(p)).isEqualTo(2);
        assertThat(stderr()).contains("unknown command 'fly'");
    }

    @Test
    void configCommandListsEverySetting() throws Exception {
        Process p = launch(TestConfigs.ephemeralEnv(tmp.resolve("data")), "config");
        assertThat(exitOf(p)).isEqualTo(0);
        for (org.steno.server.config.Setting s : org.steno.server.config.Setting.values()) {
            assertThat(stdout()).contains(s.key()).contains(s.envName());
        }
    }

    @Test
    void sigtermStopsCleanlyWithin10sAndFreesThePorts() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        env.put("STENO_LOG_FORMAT", "json");
        Process p = launch(env, "up");
        int httpPort = awaitRunning(p);

        HttpResponse<String> ready = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/readyz")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
        // log.format=json: every log line is one JSON object.
        String out = stdout();
        assertThat(out.lines().filter(l -> l.contains("component http started"))).as("stdout:\n%s", out)
                .singleElement().satisfies(l -> assertThat(l).startsWith("{").endsWith("}"));

        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s").isTrue();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(10_000);
        assertThat(Ports.tcpFree("127.0.0.1", httpPort)).isTrue();
        assertThat(stdout()).contains("component s3-embedded stopped");
    }

    private int awaitRunning(Process p) throws Exception {
        Pattern running = Pattern.compile("is running at http://localhost:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = running.matcher(stdout());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(p.isAlive()).as("steno up still running; stderr: %s", stderr()).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("steno up did not report running; stdout: " + stdout());
    }
}
