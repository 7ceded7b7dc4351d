package org.steno.conference.media;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Test rig: a JDK HTTP server that serves peer.html and turns POST /offer into {@link MediaServer#answer}, and
 * headless Chromium instances (Debian's, through /usr/bin/chromedriver) that open it with fake devices.
 */
final class BrowserPeers implements AutoCloseable {

    final MediaServer media;
    final String group;
    private final HttpServer http;
    private final Path tmp;
    final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final List<ChromeDriver> drivers = new ArrayList<>();

    BrowserPeers(MediaServer media, String group) throws IOException {
        this.media = media;
        this.group = group;
        this.tmp = Files.createTempDirectory("steno-media-browser");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/peer.html", ex -> {
            try (InputStream in = BrowserPeers.class.getResourceAsStream("/media/peer.html")) {
                reply(ex, 200, "text/html", in.readAllBytes());
            }
        });
        http.createContext("/offer", this::offer);
        http.start();
    }

    private void offer(HttpExchange ex) throws IOException {
        String name = URLDecoder.decode(ex.getRequestURI().getQuery().replace("name=", ""), StandardCharsets.UTF_8);
        String sdp = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Endpoint ep = endpoints.computeIfAbsent(name, n -> media.createEndpoint(group, n));
        try {
            reply(ex, 200, "application/sdp", media.answer(ep, sdp).getBytes(StandardCharsets.UTF_8));
        } catch (InvalidSdpException e) {
            reply(ex, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    /** Opens a headless Chromium on the page, feeding {@code wav} as its microphone, and starts the peer. */
    JavascriptExecutor open(String name, double toneHz, int extraAudio, int extraVideo) throws IOException {
        Path wav = TestWav.write(tmp.resolve(name + ".wav"), toneHz, 20);
        Path profile = Files.createDirectories(tmp.resolve("profile-" + name));
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + wav, "--autoplay-policy=no-user-gesture-required",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver d = new ChromeDriver(service, o);
        synchronized (drivers) {
            drivers.add(d);
        }
        d.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        d.get("http://127.0.0.1:" + http.getAddress().getPort() + "/peer.html");
        d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "startPeer(arguments[0], arguments[1], arguments[2]).then(() => done(true));",
                name, extraAudio, extraVideo);
        Object err = d.executeScript("return window.peer.error;");
        if (err != null) {
            throw new AssertionError(name + ": " + err);
        }
        return d;
    }

    /** Adds recvonly transceivers in the page up to an absolute target and runs offer/answer again. */
    static void renegotiate(JavascriptExecutor d, String name, int audio, int video) {
        d.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "renegotiate(arguments[0], arguments[1], arguments[2]).then(() => done(true));", name, audio, video);
        Object err = d.executeScript("return window.peer.error;");
        if (err != null) {
            throw new AssertionError(name + ": " + err);
        }
    }

    /** Inbound streams of one kind whose packet counter is above {@code min}. */
    @SuppressWarnings("unchecked")
    static long flowing(Map<String, Object> stats, String kind, double min) {
        return ((List<Object>) stats.get("inbound")).stream().map(o -> (Map<String, Object>) o)
                .filter(m -> kind.equals(m.get("kind")) && ((Number) m.get("packets")).doubleValue() > min).count();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stats(JavascriptExecutor d) {
        return (Map<String, Object>) d.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; peerStats().then(done, e => done({error: String(e)}));");
    }

    /** Sum of inbound packets (and audio energy) of one kind. */
    @SuppressWarnings("unchecked")
    static double inbound(Map<String, Object> stats, String kind, String field) {
        double sum = 0;
        for (Object o : (List<Object>) stats.get("inbound")) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (kind.equals(m.get("kind"))) {
                sum += ((Number) m.get(field)).doubleValue();
            }
        }
        return sum;
    }

    void quit(JavascriptExecutor d) {
        ((ChromeDriver) d).quit();
        synchronized (drivers) {
            drivers.remove(d);
        }
    }

    @Override
    public void close() {
        synchronized (drivers) {
            for (ChromeDriver d : drivers) {
                try {
                    d.quit();
                } catch (RuntimeException e) {
                    // already gone
                }
            }
            drivers.clear();
        }
        http.stop(0);
    }
}
