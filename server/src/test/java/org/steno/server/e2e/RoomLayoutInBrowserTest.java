package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.simulator.Simulation;
import org.steno.simulator.signal.HttpDeployment;

/**
 * Issue #12's layout check on the defaults of {@code ./steno up}: one real Chromium in a meeting that grows to 2, 6
 * and 12 participants (the others are the load client's simulated participants, with cameras), at 1280×720 and on a
 * phone (390×844, emulated): every tile of the page on screen above the control bar, tiles of one size with 16:9
 * pictures, no sideways scrolling, a second page on the phone at 12, the speaker view (one large tile and a strip),
 * and a shared screen shown large. Screenshots go to {@code target/layout/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomLayoutInBrowserTest {


    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private String base;
    private ChromeDriver browser;
    private final ExecutorService simulations = Executors.newCachedThreadPool();
    private final ExecutorService http = Executors.newFixedThreadPool(2);
    private final List<Future<?>> running = new ArrayList<>();
    private final Path shots = Path.of("target", "layout");

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        // The defaults of `./steno up`: http.host's default (every address), nothing advertised; only ports ephemeral.
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
        steno.start();
        base = "http://127.0.0.1:" + steno.httpPort();
        Files.createDirectories(shots);
    }

    @AfterAll
    void stop() {
        running.forEach(f -> f.cancel(true));
        simulations.shutdownNow();
        http.shutdownNow();
        if (browser != null) {
            Browsers.quitAll(List.of(browser));
        }
        if (steno != null) {
            steno.close();
        }
    }

    @Test
    void theRoomUsesTheScreenAt2And6And12PeopleOnALaptopAndAPhone() throws Exception {
        String meetingId = WebSession.signIn(steno, "layout-host", PlatformRole.AGENT).createMeeting("layout", "public");
        browser = Browsers.launch(tmp, wav(), "1280,720");
        browser.get(base + "/m/" + meetingId);
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.findElement(By.id("display-name")).isDisplayed(), () -> "prejoin");
        browser.findElement(By.id("display-name")).sendKeys("Layout Viewer");
        browser.findElement(By.id("join")).click();
        Browsers.waitFor(Duration.ofSeconds(30), () -> "joined".equals(phase()), () -> "joined; phase=" + phase());

        int present = 1;
        for (int people : new int[] {2, 6, 12}) {
            addSimulated(meetingId, people - present);
            present = people;
            int expected = people;
            Browsers.waitFor(Duration.ofSeconds(90), () -> participants() == expected,
                    () -> expected + " participants; the page has " + participants());

            laptop();
            Layout grid = waitForLayout("grid, " + people + " people at 1280×720", l -> l.tiles == expected);
            assertGridFits(grid, people + " people at 1280×720");
            assertThat(grid.pagerShown).as("one page at 1280×720").isFalse();
            screenshot("room-" + people + "-1280x720");

            // The phone: the pages hold everyone, each page fits the screen.
            phone();
            long perPage = waitForView("the phone's layout", v -> ((Number) v.get("width")).intValue() == 390);
            long pages = (expected + perPage - 1) / perPage;
            assertThat(perPage).as("tiles per page on a phone").isBetween(2L, 12L);
            Layout small = waitForLayout("grid, " + people + " people at 390×844",
                    l -> l.tiles == Math.min(expected, perPage));
            assertGridFits(small, people + " people at 390×844");
            assertThat(small.pagerShown).as("a pager on the phone at " + people).isEqualTo(pages > 1);
            screenshot("room-" + people + "-390x844");
            int seen = small.tiles;
            for (int page = 2; page <= pages; page++) {
                browser.findElement(By.id("page-next")).click();
                long left = Math.min(perPage, expected - seen);
                int index = page - 1;
                Layout next = waitForLayout("the phone's page " + page, l -> l.tiles == left
                        && Boolean.TRUE.equals(browser.executeScript("return window.steno.view.page === " + index)));
                assertGridFits(next, "the phone's page " + page);
                assertThat(browser.findElement(By.id("page-status")).getText()).contains(page + " of " + pages);
                seen += next.tiles;
            }
            assertThat(seen).as("everyone is on a page").isEqualTo(people);
            for (int page = 2; page <= pages; page++) {
                browser.findElement(By.id("page-prev")).click();
            }
            waitForLayout("back to the first page", l -> l.tiles == Math.min(expected, perPage));
        }

        // The speaker view at 1280×720 with 12: one tile large, a strip of small ones under it, the controls on screen.
        laptop();
        browser.findElement(By.id("layout")).click();
        Layout speaker = waitForLayout("speaker view", l -> "speaker".equals(l.layout) && l.tiles >= 3);
        assertThat(speaker.widths.get(0)).as("the speaker's tile").isGreaterThan(2.5 * speaker.widths.get(1));
        assertThat(speaker.tops.subList(1, speaker.tops.size())).as("the strip is one row").allMatch(t -> Math.abs(t - speaker.tops.get(1)) < 2);
        assertThat(speaker.maxBottom).as("strip above the controls").isLessThanOrEqualTo(speaker.controlsTop + 1);
        assertThat(speaker.controlsBottom).isLessThanOrEqualTo(speaker.viewportHeight + 0.5);
        screenshot("room-12-speaker-1280x720");
        browser.findElement(By.id("layout")).click();
        waitForLayout("back to the grid", l -> "grid".equals(l.layout) && l.tiles == 12);

        // A shared screen: shown large above the tiles, the controls still on screen.
        browser.executeScript("const c = document.createElement('canvas'); c.width = 1280; c.height = 720;"
                + "const g = c.getContext('2d'); setInterval(() => { g.fillStyle = '#246'; g.fillRect(0, 0, 1280, 720);"
                + "g.fillStyle = '#fff'; g.font = '64px sans-serif'; g.fillText('Slides ' + Date.now() % 1000, 80, 200); }, 100);"
                + "window.steno.shareScreen(c.captureStream(10).getVideoTracks()[0]);");
        Browsers.waitFor(Duration.ofSeconds(20), () -> Boolean.TRUE.equals(browser.executeScript(
                "const s = document.getElementById('screen-stage'); return !s.hidden && s.getBoundingClientRect().width >= window.innerWidth * 0.5")),
                () -> "the screen shown large");
        Number controlsBottom = (Number) browser.executeScript(
                "return document.querySelector('.controls').getBoundingClientRect().bottom");
        assertThat(controlsBottom.doubleValue()).isLessThanOrEqualTo(720.5);
        assertThat((Number) browser.executeScript("return window.innerWidth")).isEqualTo(1280L);
        screenshot("room-12-screen-1280x720");
    }

    /** Participants of the load client, with cameras, for as long as the test runs. */
    private void addSimulated(String meetingId, int n) {
        Simulation.Settings s = new Simulation.Settings(meetingId, n, 0, n, Duration.ofMinutes(10), 8);
        running.add(simulations.submit(() -> new Simulation(s).run(new HttpDeployment(URI.create(base), http), null)));
    }

    /** A 1280×720 viewport (the window's own is smaller by the browser's frame). */
    private void laptop() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 720, "deviceScaleFactor", 1, "mobile", false));
    }

    private void phone() {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
    }

    private String phase() {
        return String.valueOf(browser.executeScript("return window.steno.state.phase"));
    }

    private long participants() {
        return ((Number) browser.executeScript("return Object.keys(window.steno.state.participants).length")).longValue();
    }

    /** What the page shows now, measured in the browser (CSS pixels). */
    record Layout(String layout, int tiles, List<Double> widths, List<Double> tops, List<Double> videoRatios, double minLeft,
            double maxRight, double maxBottom, double controlsTop, double controlsBottom, double viewportWidth,
            double viewportHeight, double scrollWidth, boolean pagerShown) {
    }

    @SuppressWarnings("unchecked")
    private Layout layout() {
        Map<String, Object> m = (Map<String, Object>) browser.executeScript(
                "const box = document.getElementById('tiles'); const tiles = [...box.children];"
                        + "const r = tiles.map(t => t.getBoundingClientRect());"
                        + "const v = tiles.map(t => { const e = t.querySelector('video').hidden ? t.querySelector('.avatar') : t.querySelector('video');"
                        + "  const b = e.getBoundingClientRect(); return b.height ? b.width / b.height : 0; });"
                        + "const c = document.querySelector('.controls').getBoundingClientRect();"
                        + "return { layout: box.dataset.layout, tiles: tiles.length, widths: r.map(x => x.width), tops: r.map(x => x.top),"
                        + "  ratios: v, minLeft: Math.min(...r.map(x => x.left)), maxRight: Math.max(...r.map(x => x.right)),"
                        + "  maxBottom: Math.max(...r.map(x => x.bottom)), controlsTop: c.top, controlsBottom: c.bottom,"
                        + "  vw: window.innerWidth, vh: window.innerHeight, sw: document.scrollingElement.scrollWidth,"
                        + "  pager: !document.getElementById('pager').hidden };");
        return new Layout(String.valueOf(m.get("layout")), ((Number) m.get("tiles")).intValue(), doubles(m.get("widths")),
                doubles(m.get("tops")), doubles(m.get("ratios")), num(m.get("minLeft")), num(m.get("maxRight")),
                num(m.get("maxBottom")), num(m.get("controlsTop")), num(m.get("controlsBottom")), num(m.get("vw")),
                num(m.get("vh")), num(m.get("sw")), Boolean.TRUE.equals(m.get("pager")));
    }

    @SuppressWarnings("unchecked")
    private long waitForView(String what, java.util.function.Predicate<Map<String, Object>> ok) throws InterruptedException {
        Object[] last = new Object[1];
        Browsers.waitFor(Duration.ofSeconds(20), () -> {
            Map<String, Object> v = (Map<String, Object>) browser.executeScript(
                    "return window.steno.view"); // drawn for the window's size then: a view before the resize is stale
            last[0] = v;
            return v != null && ok.test(v);
        }, () -> what + "; last seen " + last[0]);
        return ((Number) ((Map<String, Object>) last[0]).get("perPage")).longValue();
    }

    private Layout waitForLayout(String what, java.util.function.Predicate<Layout> ok) throws InterruptedException {
        Layout[] last = new Layout[1];
        RuntimeException[] failed = new RuntimeException[1];
        Browsers.waitFor(Duration.ofSeconds(20), () -> {
            try {
                last[0] = layout();
            } catch (RuntimeException e) {
                failed[0] = e;
                throw e;
            }
            return ok.test(last[0]);
        }, () -> what + "; last seen " + last[0] + (failed[0] == null ? "" : "; last error " + failed[0]) + "; tiles: "
                + browser.executeScript("return document.getElementById('tiles').outerHTML.slice(0, 1500)")
                + "; page errors: " + browser.executeScript("return JSON.stringify(window.steno.errors)"));
        return last[0];
    }

    /**
     * Scrolled to the top, a page of the grid fits the window: every tile inside it and above the control bar, one
     * size for all, each picture (video or avatar) 16:9, nothing wider than the window.
     */
    private void assertGridFits(Layout l, String what) {
        assertThat(l.layout).as(what).isEqualTo("grid");
        assertThat(l.minLeft).as(what + ": left edge").isGreaterThanOrEqualTo(0);
        assertThat(l.maxRight).as(what + ": right edge").isLessThanOrEqualTo(l.viewportWidth + 0.5);
        assertThat(l.scrollWidth).as(what + ": no sideways scrolling").isLessThanOrEqualTo(l.viewportWidth + 0.5);
        assertThat(l.maxBottom).as(what + ": tiles above the controls " + l).isLessThanOrEqualTo(l.controlsTop + 1);
        assertThat(l.controlsBottom).as(what + ": the controls on screen").isLessThanOrEqualTo(l.viewportHeight + 0.5);
        double first = l.widths.get(0);
        assertThat(l.widths).as(what + ": tiles of one size").allMatch(w -> Math.abs(w - first) < 2);
        assertThat(l.videoRatios).as(what + ": 16:9 pictures").allMatch(r -> Math.abs(r - 16.0 / 9) < 0.06);
    }

    private void screenshot(String name) throws Exception {
        browser.executeScript("window.scrollTo(0, 0)");
        Files.write(shots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    private static List<Double> doubles(Object o) {
        List<Double> out = new ArrayList<>();
        for (Object x : (List<?>) o) {
            out.add(num(x));
        }
        return out;
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    private static String wav() {
        return ThreeBrowsersMeetTest.DATA + "sense_and_sensibility_01_austen_64kb-0870.wav";
    }
}
