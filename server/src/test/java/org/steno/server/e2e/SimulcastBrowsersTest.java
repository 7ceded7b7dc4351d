package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.server.TestConfigs;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * Issue #11's simulcast test: three headless Chromiums on the defaults of {@code ./steno up} each send their fake
 * camera (960×540) as three VP8 layers (rids q, h, f at a quarter, half and full size). Bob has a HiDPI screen (device
 * scale factor 2, as many laptops), so his tiles are twice as many device pixels; Carol's window is narrow, so hers
 * are small. Each page reports its tile sizes, and the SFU forwards Alice's camera to Bob in a larger layer than to
 * Carol, switching at keyframes; Carol's video keeps decoding. Chromium lowers the layers' sizes when the machine is
 * busy, so the test compares what the two receive at the same moment rather than fixed sizes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulcastBrowsersTest {

    private static final String WAV = "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav";

    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        // The defaults of `./steno up` (as ThreeBrowsersMeetTest): the wildcard bind, nothing advertised.
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        steno = new StenoProcess(Role.SFU, ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy());
        steno.start();
        // Which layer each slot is given, and why (tile, budget): the log tells if this test fails.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.steno.conference.media.sfu.SfuCore"))
                .setLevel(ch.qos.logback.classic.Level.DEBUG);
    }

    @AfterAll
    void stop() throws Exception {
        Browsers.quitAll(browsers);
        if (steno != null) {
            steno.close();
        }
    }

    @Test
    void aSmallTileGetsALowerLayerThanALargeOneAndKeepsPlaying() throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort();
        String meetingId = org.steno.server.WebSession.signIn(steno, "organiser", org.steno.identity.PlatformRole.AGENT)
                .createMeeting("simulcast", "public"); // guests by link; the lobby is tested elsewhere
        String[] names = {"Alice", "Bob", "Carol"};
        String[] windows = {"800,600", "2800,1800", "480,1000"};
        String[] scale = {"1", "2", "1"};
        for (int i = 0; i < 3; i++) {
            ChromeDriver b = Browsers.launch(tmp, WAV, windows[i], "--force-device-scale-factor=" + scale[i]);
            browsers.add(b);
            b.get(base + "/m/" + meetingId);
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.findElements(By.id("display-name")).stream().anyMatch(e -> e.isDisplayed()), () -> "prejoin");
            b.findElement(By.id("display-name")).sendKeys(names[i]);
            b.findElement(By.id("join")).click();
        }
        ChromeDriver alice = browsers.get(0);
        ChromeDriver bob = browsers.get(1);
        ChromeDriver carol = browsers.get(2);

        // Alice's camera goes out as three layers, and the SFU bound each layer's unsignalled SSRC by its rid.
        Browsers.waitFor(Duration.ofSeconds(60), () -> sentRids(alice).size() == 3,
                () -> "Alice sends three layers; outbound video: " + sentRids(alice) + "; " + sendDiagnostics(alice));
        Browsers.waitFor(Duration.ofSeconds(30), () -> counter(base, "sfu.simulcast.ssrc-bound") >= 9,
                () -> "the SFU bound three layers of each camera; " + counter(base, "sfu.simulcast.ssrc-bound"));

        // Bob (one large tile a row) receives Alice in a larger layer than Carol (five small tiles a row).
        Browsers.waitFor(Duration.ofSeconds(90), () -> {
            Map<String, Object> big = received(bob, "Alice");
            Map<String, Object> small = received(carol, "Alice");
            return big != null && small != null && num(big, "w") > num(small, "w") && num(small, "f") > 10;
        }, () -> "Bob receives Alice larger than Carol: Bob " + received(bob, "Alice") + " tiles " + tileSizes(bob)
                + ", Carol " + received(carol, "Alice") + " tiles " + tileSizes(carol)
                + "; Alice sends " + sentRids(alice) + "; counters " + counters(base));
        Map<String, Object> big = received(bob, "Alice");
        Map<String, Object> small = received(carol, "Alice");
        System.out.printf("Alice sends %s; Bob (tiles %s) receives %sx%s, Carol (tiles %s) receives %sx%s%n",
                sentRids(alice), tileSizes(bob), big.get("w"), big.get("h"), tileSizes(carol), small.get("w"), small.get("h"));
        assertThat(num(small, "h")).as("Carol's layer is lower").isLessThan(num(big, "h"));

        // Carol's video keeps playing on the lower layer: frames decoded keep increasing, with no freeze.
        long before = num(received(carol, "Alice"), "f");
        Browsers.waitFor(Duration.ofSeconds(20), () -> num(received(carol, "Alice"), "f") > before + 40,
                () -> "Carol keeps decoding Alice: " + before + " then " + received(carol, "Alice"));
        Browsers.waitFor(Duration.ofSeconds(20), () -> num(received(carol, "Alice"), "h") < num(received(bob, "Alice"), "h"),
                () -> "Carol still gets the lower layer: Bob " + received(bob, "Alice") + ", Carol " + received(carol, "Alice"));
        System.out.println("counters: " + counters(base));
        assertThat(counter(base, "sfu.drop.other-layer")).as("layers not selected are not forwarded").isPositive();
    }

    private static long num(Map<String, Object> m, String k) {
        return m == null || m.get(k) == null ? 0 : ((Number) m.get(k)).longValue();
    }

    /** Alice's outbound video layers that send frames: their rids. */
    @SuppressWarnings("unchecked")
    private static List<String> sentRids(ChromeDriver b) {
        return (List<String>) b.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window.steno.getStats().then(s => done(s.filter(x => x.type === 'outbound-rtp' && x.kind === 'video'"
                + " && (x.framesEncoded || 0) > 0).map(x => x.rid + ':' + x.frameWidth + 'x' + x.frameHeight))).catch(() => done([]));");
    }

    /** What a browser decodes of one participant's video: frame size and frames decoded, via the tile's slot. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> received(ChromeDriver b, String name) {
        return (Map<String, Object>) b.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "const tile = [...document.querySelectorAll('[data-participant-id]')].find(t => t.dataset.participantName === arguments[0]);"
                + "const mid = tile && tile.dataset.videoSlot;"
                + "if (!mid) { done(null); return; }"
                + "window.steno.getStats().then(s => { const r = s.find(x => x.type === 'inbound-rtp' && x.kind === 'video' && x.mid === mid);"
                + " done(r ? {mid, w: r.frameWidth || 0, h: r.frameHeight || 0, f: r.framesDecoded || 0,"
                + " lost: r.packetsLost, got: r.packetsReceived, nacks: r.nackCount, plis: r.pliCount} : null); }).catch(() => done(null));",
                name);
    }

    /** Why a sender sends what it does: its bandwidth estimate and each layer's quality limitation. */
    private static Object sendDiagnostics(ChromeDriver b) {
        return b.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const pc = window.steno.peerConnection;
                window.steno.getStats().then((s) => {
                  const out = s.filter((x) => (x.type === 'outbound-rtp' && x.kind === 'video')
                      || (x.type === 'candidate-pair' && x.nominated))
                    .map((x) => (x.type === 'candidate-pair' ? { bwe: x.availableOutgoingBitrate }
                      : { rid: x.rid, active: x.active, limit: x.qualityLimitationReason, target: x.targetBitrate,
                          fps: x.framesPerSecond, w: x.frameWidth, sent: x.bytesSent }));
                  for (const sender of pc.getSenders()) {
                    if (sender.track && sender.track.kind === 'video') {
                      out.push({ encodings: sender.getParameters().encodings, settings: sender.track.getSettings() });
                    }
                  }
                  out.push({ answer: pc.remoteDescription.sdp.split('m=')[2] });
                  done(JSON.stringify(out));
                }).catch((e) => done(String(e)));
                """);
    }

    private static Object tileSizes(ChromeDriver b) {
        return b.executeScript("const t = window.steno.tileSizes; return t ? JSON.stringify(t) : 'none';");
    }

    private static String counters(String base) {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            StringBuilder sb = new StringBuilder();
            Matcher m = Pattern.compile("steno_media_packets_total\\{stage=\"([^\"]*)\"\\} ([0-9.E]+)").matcher(body);
            while (m.find()) {
                sb.append(m.group(1)).append('=').append(m.group(2)).append(' ');
            }
            return sb.toString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static long counter(String base, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "=([0-9.E]+)").matcher(counters(base));
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }
}
