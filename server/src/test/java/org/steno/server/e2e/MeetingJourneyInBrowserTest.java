package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.server.TestConfigs;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue #12's journey, on the defaults of {@code ./steno up} (every address bound, nothing
 * advertised: the candidates are the host's own): an agent signs in and starts a meeting (trusted,
 * the default); a guest opens the link and waits in the lobby; the host admits him; they hear and
 * see each other; the host records and turns captions on; the guest shares a screen, which the
 * host sees large; the host mutes the guest, then removes him (coming back, he waits again);
 * the host ends the meeting, and within 30 s of the end the archive page lists the transcript and
 * the recording, whose manifest holds the screen as a video file of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeetingJourneyInBrowserTest {

    private static final String DATA = "/usr/share/pocketsphinx/test/data/librivox/";
    /** What the issue promises between the end of a meeting and its files in the archive. */
    private static final Duration ARCHIVED_WITHIN = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private final List<ChromeDriver> browsers = new ArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Path shots = Path.of("target", "journey");

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        // What `./steno up` has: http.host's default (0.0.0.0, the media port on every address) and no
        // advertised media address. Only the ports (and the data directory) are the test's own.
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy());
        steno.start();
        Files.createDirectories(shots);
    }

    @AfterAll
    void stop() {
        Browsers.quitAll(browsers);
        if (steno != null) {
            steno.close();
        }
    }

    @Test
    void anAgentsMeetingWithAGuestFromTheLobbyToTheArchive() throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort();
        steno.identity().accounts().createLocal("claire", "Claire Agent", "claire's long password".toCharArray(),
                java.util.Set.of(org.steno.identity.PlatformRole.AGENT));

        // The agent signs in on the sign-in page and starts a meeting from the home page.
        ChromeDriver host = launch(DATA + "sense_and_sensibility_01_austen_64kb-0870.wav");
        host.get(base + "/");
        visible(host, "sign-in-link", "the home page asks to sign in");
        host.findElement(By.id("sign-in-link")).click();
        visible(host, "username", "the sign-in page");
        host.findElement(By.id("username")).sendKeys("claire");
        host.findElement(By.id("password")).sendKeys("claire's long password");
        host.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElements(By.id("start-meeting")).stream()
                .anyMatch(e -> e.isDisplayed() && e.isEnabled()), () -> "signed in, the home page offers to start a meeting");
        host.findElement(By.id("start-meeting")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.getCurrentUrl().matches(".*/m/[a-z]{3}-[a-z]{4}-[a-z]{3}$"),
                () -> "the meeting page; at " + host.getCurrentUrl());
        String meetingId = host.getCurrentUrl().replaceAll(".*/m/", "");
        Browsers.waitFor(Duration.ofSeconds(20), () -> "Claire Agent".equals(host.findElement(By.id("display-name")).getAttribute("value")),
                () -> "the account's name in the prejoin");
        host.findElement(By.id("join")).click();
        joined(host, "the host");
        assertThat(steno.identity().meetings().find(meetingId).orElseThrow().accessLevel())
                .as("a new meeting's access level").isEqualTo("trusted");

        // The owner names the meeting and sets its captions to English in the meeting's settings.
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElement(By.id("meeting-settings")).isDisplayed(),
                () -> "the owner's meeting settings");
        WebElement settings = host.findElement(By.id("meeting-settings"));
        host.executeScript("arguments[0].open = true; arguments[0].scrollIntoView({block: 'center'})", settings);
        assertThat(host.findElement(By.id("settings-captions-language")).getAttribute("value")).isEqualTo("en");
        assertThat(host.findElement(By.id("settings-record-on-start")).isSelected()).isFalse();
        host.findElement(By.id("settings-title")).clear();
        host.findElement(By.id("settings-title")).sendKeys("Budget 2027");
        host.findElement(By.cssSelector("#settings-form button[type='submit']")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> host.findElement(By.id("settings-status")).getText().equals("Saved."),
                () -> "the settings saved; status: " + host.findElement(By.id("settings-status")).getText());
        assertThat(steno.identity().meetings().find(meetingId).orElseThrow().title()).isEqualTo("Budget 2027");
        host.executeScript("arguments[0].open = false; window.scrollTo(0, 0)", settings);

        // The guest opens the link, types a name and waits in the lobby until the host admits him.
        ChromeDriver guest = launch(DATA + "sense_and_sensibility_01_austen_64kb-0920.wav");
        guest.get(base + "/m/" + meetingId);
        visible(guest, "display-name", "the guest's prejoin");
        guest.findElement(By.id("display-name")).sendKeys("Gaston Guest");
        guest.findElement(By.id("join")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> guest.findElement(By.id("waiting")).isDisplayed(), () -> "the guest's waiting page");
        assertThat(phase(guest)).isNotEqualTo("joined");
        assertThat(guest.findElement(By.id("waiting-title")).getText()).as("the waiting page names the meeting").isEqualTo("Budget 2027");
        shot(guest, "journey-guest-waits");
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElements(By.cssSelector("#lobby-list li")).stream()
                .anyMatch(li -> li.getText().contains("Gaston Guest (guest)")), () -> "the host sees the guest waiting");
        shot(host, "journey-host-lobby");
        admit(host, "Gaston Guest (guest)");
        joined(guest, "the guest");

        // They hear (audio with energy) and see (decoded frames) each other, on the host's own addresses.
        for (ChromeDriver b : List.of(host, guest)) {
            Browsers.waitFor(Duration.ofSeconds(60), () -> inbound(b, "audio") >= 1 && inbound(b, "video") >= 1,
                    () -> "audio and video from the other; stats: " + stats(b));
        }

        // The host records and turns captions on; both see the notice, the captions come.
        host.findElement(By.id("record")).click();
        Browsers.waitFor(Duration.ofSeconds(15), () -> "true".equals(host.findElement(By.id("record")).getAttribute("aria-pressed")),
                () -> "Record pressed");
        host.findElement(By.id("cc")).click();
        for (ChromeDriver b : List.of(host, guest)) {
            Browsers.waitFor(Duration.ofSeconds(15), () -> Browsers.notice(b).contains("being recorded") && Browsers.notice(b).contains("transcription"),
                    () -> "the recording and transcription notice; shows: " + Browsers.notice(b));
        }
        Browsers.waitFor(Duration.ofSeconds(90), () -> !Browsers.captionSpeakers(host).isEmpty(),
                () -> "a caption in the host's room; overlay: " + host.findElement(By.id("captions")).getAttribute("textContent"));

        // The captions float over the video just above the control bar, the name set apart; each viewer sizes them.
        assertThat((Boolean) host.executeScript("const c = document.getElementById('captions').getBoundingClientRect();"
                + " const bar = document.querySelector('.controls').getBoundingClientRect();"
                + " return c.bottom <= bar.top + 0.5 && c.top >= 0;")).as("the captions above the control bar, on screen").isTrue();
        double before = fontSize(host);
        host.findElement(By.id("caption-size")).click();
        assertThat(fontSize(host)).as("the next caption size").isCloseTo(before * 1.25, org.assertj.core.data.Offset.offset(0.5));
        assertThat(host.findElement(By.id("caption-size")).getText()).isEqualTo("Caption size 125%");

        // The guest shares a screen (a canvas stands in for getDisplayMedia's picker); the host sees it large, playing.
        guest.executeScript("const c = document.createElement('canvas'); c.width = 1280; c.height = 720;"
                + "const g = c.getContext('2d'); setInterval(() => { g.fillStyle = '#246'; g.fillRect(0, 0, 1280, 720);"
                + "g.fillStyle = '#fff'; g.font = '64px sans-serif'; g.fillText('Budget 2027 — slide ' + (Date.now() % 1000), 80, 200); }, 100);"
                + "window.steno.shareScreen(c.captureStream(10).getVideoTracks()[0]);");
        Browsers.waitFor(Duration.ofSeconds(30), () -> Boolean.TRUE.equals(host.executeScript(
                        "const s = document.getElementById('screen-stage'), v = document.getElementById('screen-video');"
                                + " return !s.hidden && s.getBoundingClientRect().width >= window.innerWidth * 0.5"
                                + " && v.videoWidth > 0 && !v.paused")),
                () -> "the host sees the guest's screen large and playing; stats: " + stats(host));
        Thread.sleep(3000); // a few seconds of the shared screen in the recording
        shot(host, "journey-host-sees-screen");

        // The host mutes the guest from the participants' actions: the guest's page turns the microphone off and says so.
        String guestId = (String) host.executeScript("const t = [...document.querySelectorAll('[data-participant-id]')]"
                + ".find(e => e.dataset.participantName === 'Gaston Guest'); return t ? t.dataset.participantId : null;");
        assertThat(guestId).as("the guest's tile in the host's room").isNotNull();
        hostAction(host, guestId, "mute-audio");
        shot(host, "journey-host-controls");
        Browsers.waitFor(Duration.ofSeconds(15), () -> "true".equals(guest.findElement(By.id("mute")).getAttribute("aria-pressed")),
                () -> "the guest's microphone muted by the host; his page says: " + message(guest));
        assertThat(message(guest)).contains("A host muted your microphone");
        // A host never turns a microphone on: the button now asks the guest, whose page says so.
        Browsers.waitFor(Duration.ofSeconds(15), () -> host.findElements(By.cssSelector(
                        "[data-participant-id='" + guestId + "'] [data-action='ask-unmute']")).stream().anyMatch(b -> b.getText().equals("Ask to unmute")),
                () -> "the host's Mute became Ask to unmute");
        hostAction(host, guestId, "ask-unmute");
        Browsers.waitFor(Duration.ofSeconds(15), () -> message(guest).contains("A host asks you to unmute"),
                () -> "the guest is asked to unmute; his page says: " + message(guest));
        assertThat(guest.findElement(By.id("mute")).getAttribute("aria-pressed")).as("still muted: only he turns it on").isEqualTo("true");

        // The people list has everyone, each with their state, and the host's actions there too (a meeting of
        // 150 shows a page of tiles): the host removes the guest from it. His page says so; coming back, he waits.
        host.executeScript("document.getElementById('people').open = true");
        Browsers.waitFor(Duration.ofSeconds(10), () -> host.findElement(By.cssSelector("#people-list [data-person-id='" + guestId + "']"))
                .getText().contains("muted"), () -> "the guest muted in the people list: " + host.findElement(By.id("people-list")).getText());
        assertThat(host.findElement(By.id("people-count")).getText()).isEqualTo("2");
        assertThat(host.findElements(By.cssSelector("#people-list li")).get(0).getText()).contains("Claire Agent (you)").contains("host");
        WebElement remove = host.findElement(By.cssSelector("#people-list [data-person-id='" + guestId + "'] [data-action='remove']"));
        host.executeScript("arguments[0].scrollIntoView({block: 'center'})", remove);
        remove.click();
        Browsers.waitFor(Duration.ofSeconds(15), () -> "left".equals(phase(guest)) && message(guest).contains("removed you"),
                () -> "the guest is told he was removed; phase " + phase(guest) + ", message: " + message(guest));
        Browsers.waitFor(Duration.ofSeconds(15), () -> host.findElements(By.cssSelector("[data-participant-id='" + guestId + "']")).isEmpty()
                        && host.findElements(By.cssSelector("[data-person-id='" + guestId + "']")).isEmpty(),
                () -> "the guest's tile and line are gone from the host's room");
        assertThat(host.findElement(By.id("people-count")).getText()).isEqualTo("1");
        guest.findElement(By.id("rejoin")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> guest.findElement(By.id("waiting")).isDisplayed(),
                () -> "the removed guest waits again; phase " + phase(guest) + ", message: " + message(guest));
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElements(By.cssSelector("#lobby-list li")).stream()
                .anyMatch(li -> li.getText().contains("Gaston Guest")), () -> "the host sees the removed guest asking again");
        assertThat(phase(guest)).isNotEqualTo("joined");

        // The host ends the meeting for everyone; the waiting guest is told it ended.
        host.findElement(By.id("end-meeting")).click();
        long endedAt = System.nanoTime();
        Browsers.waitFor(Duration.ofSeconds(15), () -> steno.conference().registry().get(meetingId).isEmpty(), () -> "the meeting ends");
        // The guest still waiting does not open it again by asking: his page says it is not running.
        Browsers.waitFor(Duration.ofSeconds(15), () -> guest.findElement(By.id("waiting-status")).getText().contains("not running"),
                () -> "the waiting guest is told the meeting is not running; his page says: " + guest.findElement(By.id("waiting-status")).getText());

        // Within 30 s of the end, the archive lists the transcript and the recording (the page says they are
        // being finalized until then), and the recording holds the screen as a file of its own.
        host.get(base + "/m/" + meetingId + "/archive");
        List<String> said = new ArrayList<>();
        Browsers.waitFor(ARCHIVED_WITHIN.minusNanos(System.nanoTime() - endedAt), () -> {
            String m = host.findElement(By.id("archive-message")).getText();
            if (said.isEmpty() || !said.get(said.size() - 1).equals(m)) {
                said.add(m);
            }
            return "loaded".equals(host.findElement(By.id("archive")).getAttribute("data-state"))
                    && !host.findElements(By.cssSelector("li[data-transcript-id]")).isEmpty()
                    && !host.findElements(By.cssSelector("li[data-recording-id]")).isEmpty();
        }, () -> "the transcript and the recording in the archive within " + ARCHIVED_WITHIN + " of the end; the page said: " + said);
        Duration archived = Duration.ofNanos(System.nanoTime() - endedAt);
        System.out.println("journey: the transcript and the recording were in the archive " + archived.toMillis()
                + " ms after the end; the page said " + said);
        assertThat(String.join(" ", said)).as("what the page said while it waited")
                .doesNotContain("Nothing yet");
        List<WebElement> screenLinks = host.findElements(By.cssSelector("li[data-recording-id] a[data-kind='video']")).stream()
                .filter(a -> a.getText().startsWith("Gaston Guest (shared screen")).toList();
        assertThat(screenLinks).as("the guest's shared screen among the recording's files").hasSize(1);
        JsonNode listing = json.readTree(fetch(host, "/api/meetings/" + meetingId + "/archive"));
        JsonNode files = listing.path("recordings").path(0).path("files");
        List<String> sources = new ArrayList<>();
        files.forEach(f -> sources.add(f.path("kind").asString() + ":" + f.path("source").asString() + ":" + f.path("displayName").asString()));
        assertThat(sources).as("the recording's files").contains("video:screen:Gaston Guest", "video:camera:Gaston Guest",
                "video:camera:Claire Agent", "audio:microphone:Gaston Guest", "audio:microphone:Claire Agent");
        // The screen was shared at 10 frames/s for more than 3 s before the guest was removed: the file holds
        // seconds of it, decodable, not the few frames after a keyframe came by chance (the recorder asks the
        // SFU for one, and the browser's padding between frames is not taken for a loss).
        JsonNode screen = null;
        for (JsonNode f : files) {
            if (f.path("source").asString().equals("screen")) {
                screen = f;
            }
        }
        assertThat(screen.path("durationMs").asLong()).as("the shared screen's file").isGreaterThan(2_500L);
        Path screenFile = tmp.resolve("screen.webm");
        org.steno.server.storage.S3Target target = steno.storageTarget();
        try (software.amazon.awssdk.services.s3.S3Client s3 = org.steno.server.storage.S3Storage.newClient(target)) {
            String key = "meetings/" + meetingId + "/" + screen.path("url").asString().replaceAll("^.*/archive/", "");
            Files.write(screenFile, s3.getObjectAsBytes(r -> r.bucket(target.bucket()).key(key)).asByteArray());
        }
        assertThat(decodedFrames(screenFile)).as("frames FFmpeg decodes in the shared screen's file").isGreaterThanOrEqualTo(20);
        assertThat(listing.path("processing").isNull()).as("nothing is due any more: " + listing.path("processing")).isTrue();
        assertThat(listing.path("transcripts").path(0).path("status").asString()).isIn("TRANSCRIPT_STATUS_COMPLETE", "TRANSCRIPT_STATUS_PARTIAL");
        assertThat(steno.conference().registry().get(meetingId)).as("the meeting stays ended while the guest waits").isEmpty();
        String vtt = fetch(host, host.findElement(By.cssSelector("li[data-transcript-id] a[data-format='vtt']")).getAttribute("href"));
        assertThat(vtt).startsWith("WEBVTT").contains("Claire Agent");
    }

    /** The page as it is, for the README (target/journey/<name>.png). */
    private void shot(ChromeDriver b, String name) throws java.io.IOException {
        Files.write(shots.resolve(name + ".png"), b.getScreenshotAs(OutputType.BYTES));
    }

    private ChromeDriver launch(String wav) throws Exception {
        ChromeDriver b = Browsers.launch(tmp, wav, "1280,800");
        browsers.add(b);
        return b;
    }

    private static void visible(ChromeDriver b, String id, String what) throws InterruptedException {
        Browsers.waitFor(Duration.ofSeconds(20), () -> b.findElements(By.id(id)).stream().anyMatch(WebElement::isDisplayed), () -> what);
    }

    private static void joined(ChromeDriver b, String who) throws InterruptedException {
        Browsers.waitFor(Duration.ofSeconds(30), () -> "joined".equals(phase(b)), () -> who + " joins; phase " + phase(b) + ", message: " + message(b));
    }

    private static void admit(ChromeDriver host, String label) throws InterruptedException {
        Browsers.waitFor(Duration.ofSeconds(20), () -> host.findElements(By.cssSelector("#lobby-list li")).stream()
                .anyMatch(li -> li.getText().contains(label)), () -> "the host sees " + label + " waiting");
        host.findElement(By.cssSelector("#lobby-list li [data-action='admit']")).click();
    }

    /**
     * A host action on a participant's tile. The tiles are below the shared screen: the host scrolls
     * to the tile first (chromedriver would click a button it deems in view though under the control bar).
     */
    private static void hostAction(ChromeDriver host, String participantId, String action) {
        WebElement b = host.findElement(By.cssSelector("[data-participant-id='" + participantId + "'] [data-action='" + action + "']"));
        host.executeScript("arguments[0].scrollIntoView({block: 'center'})", b);
        b.click();
    }

    private static String phase(ChromeDriver b) {
        return String.valueOf(b.executeScript("return window.steno && window.steno.state ? window.steno.state.phase : null"));
    }

    private static String message(ChromeDriver b) {
        return b.findElement(By.id("room-message")).getText();
    }



    /** Inbound streams of this kind that carry something: audio with energy, video with decoded frames. */
    @SuppressWarnings("unchecked")
    private static long inbound(ChromeDriver b, String kind) {
        Object r = b.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "window.steno.getStats().then(s => done(s.filter(x => x.type === 'inbound-rtp' && x.kind === '" + kind + "')"
                + ".map(x => ({p: x.packetsReceived || 0, e: x.totalAudioEnergy || 0, f: x.framesDecoded || 0})))).catch(() => done([]));");
        return ((List<Map<String, Object>>) r).stream().filter(m -> ((Number) m.get("p")).longValue() > 20)
                .filter(m -> kind.equals("audio") ? ((Number) m.get("e")).doubleValue() > 0 : ((Number) m.get("f")).longValue() > 5)
                .count();
    }

    private static String stats(ChromeDriver b) {
        try {
            return String.valueOf(b.executeAsyncScript("const done = arguments[arguments.length - 1];"
                    + "window.steno.getStats().then(s => done(JSON.stringify(s.filter(x => x.type === 'inbound-rtp')"
                    + ".map(x => [x.kind, x.mid, x.packetsReceived, x.totalAudioEnergy, x.framesDecoded])))).catch(e => done(String(e)));"))
                    + " connection=" + b.executeScript("return document.getElementById('room-app').dataset.connection");
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static double fontSize(ChromeDriver b) {
        return ((Number) b.executeScript("return parseFloat(getComputedStyle(document.getElementById('captions')).fontSize)")).doubleValue();
    }

    private static int decodedFrames(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe %s: %s", file, out).isZero();
        return Integer.parseInt(out.lines().reduce((a, b) -> b).orElse("0").trim());
    }

    /** A GET from the page, with its session (the archive is for the meeting's people). */
    private static String fetch(ChromeDriver b, String url) {
        return String.valueOf(b.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));", url));
    }
}
