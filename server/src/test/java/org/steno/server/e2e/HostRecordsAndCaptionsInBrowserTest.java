package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.access.Access;
import org.steno.server.TestConfigs;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The host's journey in {@code steno up} with two real browsers: the host (first to join)
 * sees Record and CC, the guest does not; recording and captions show their notice to
 * everyone; the captions of what the browsers say appear in the room with the speaker's name;
 * when the host stops recording, the bucket holds a manifest naming both and Ogg/Opus files
 * FFmpeg reads, one per speaker plus the mix; after captions go off, the meeting's archive page
 * offers the transcript and plays the recording.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostRecordsAndCaptionsInBrowserTest {

    private static final String DATA = "/usr/share/pocketsphinx/test/data/librivox/";

    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private final List<ChromeDriver> browsers = new ArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        env.put("STENO_MEDIA_ADVERTISED_ADDRESS", "127.0.0.1");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy());
        steno.start();
    }

    @AfterAll
    void stop() {
        Browsers.quitAll(browsers);
        if (steno != null) {
            steno.close();
        }
    }

    @Test
    void hostRecordsAndTurnsCaptionsOnForEveryone() throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort();
        steno.identity().accounts().createLocal("alice", "Alice", "alice's long password".toCharArray(),
                java.util.Set.of(org.steno.identity.PlatformRole.AGENT));
        String[] names = {"Alice", "Bob"};
        String[] wavs = {DATA + "sense_and_sensibility_01_austen_64kb-0870.wav", DATA + "sense_and_sensibility_01_austen_64kb-0920.wav"};

        // Alice signs in on the sign-in page and starts the meeting from the home page; Bob, a
        // guest without an account, opens the link she shares.
        ChromeDriver alice = Browsers.launch(tmp, wavs[0]);
        browsers.add(alice);
        alice.get(base + "/");
        Browsers.waitFor(Duration.ofSeconds(20), () -> alice.findElements(By.id("sign-in-link")).stream().anyMatch(e -> e.isDisplayed()),
                () -> "the home page asks to sign in");
        alice.findElement(By.id("sign-in-link")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> alice.findElements(By.id("username")).stream().anyMatch(e -> e.isDisplayed()),
                () -> "the sign-in page");
        alice.findElement(By.id("username")).sendKeys("alice");
        alice.findElement(By.id("password")).sendKeys("wrong password!");
        alice.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> alice.findElement(By.id("login-error")).getText().contains("wrong username or password"),
                () -> "a wrong password is refused with a sentence");
        alice.findElement(By.id("password")).clear();
        alice.findElement(By.id("password")).sendKeys("alice's long password");
        alice.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> alice.findElements(By.id("start-meeting")).stream()
                        .anyMatch(e -> e.isDisplayed() && e.isEnabled()), () -> "signed in, the home page offers to start a meeting");
        assertThat(alice.findElement(By.id("signed-in-as")).getText()).contains("Alice");
        alice.findElement(By.id("start-meeting")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> alice.getCurrentUrl().matches(".*/m/[a-z]{3}-[a-z]{4}-[a-z]{3}$"),
                () -> "the meeting page; at " + alice.getCurrentUrl());
        String meetingId = alice.getCurrentUrl().replaceAll(".*/m/", "");

        for (int i = 0; i < 2; i++) {
            String name = names[i];
            ChromeDriver b;
            if (i == 0) {
                b = alice;
            } else {
                b = Browsers.launch(tmp, wavs[i]);
                browsers.add(b);
                b.get(base + "/m/" + meetingId);
            }
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.findElement(By.id("display-name")).isDisplayed(), () -> "prejoin");
            if (i == 0) {
                // Signed in: the page shows the account's name and does not let her change it.
                Browsers.waitFor(Duration.ofSeconds(10), () -> "Alice".equals(b.findElement(By.id("display-name")).getAttribute("value")),
                        () -> "the account's name in the prejoin");
                assertThat(b.findElement(By.id("display-name")).getAttribute("readonly")).isNotNull();
            } else {
                b.findElement(By.id("display-name")).sendKeys(name);
            }
            if (name.equals("Bob")) {
                b.findElement(By.id("prejoin-shared-mic")).click(); // Bob's microphone is a meeting room's
            }
            b.findElement(By.id("join")).click();
            if (i == 1) {
                // A new meeting is trusted: the guest waits in the lobby until the host lets him in.
                Browsers.waitFor(Duration.ofSeconds(20), () -> b.findElement(By.id("waiting")).isDisplayed(), () -> "Bob's waiting page");
                assertThat(b.findElement(By.id("waiting-status")).getText()).contains("host");
                ChromeDriver hostPage = browsers.get(0);
                Browsers.waitFor(Duration.ofSeconds(20), () -> hostPage.findElements(By.cssSelector("#lobby-list li")).stream()
                        .anyMatch(li -> li.getText().contains("Bob (guest)")), () -> "the host sees Bob waiting");
                hostPage.findElement(By.cssSelector("#lobby-list li [data-action='admit']")).click();
            }
            Browsers.waitFor(Duration.ofSeconds(30), () -> "joined".equals(b.executeScript("return window.steno.state.phase")), () -> name + " joined");
        }
        Browsers.waitFor(Duration.ofSeconds(10), () -> !browsers.get(0).findElement(By.id("lobby-panel")).isDisplayed(),
                () -> "the lobby panel is gone once nobody waits");
        ChromeDriver host = browsers.get(0);
        ChromeDriver guest = browsers.get(1);
        var meeting = steno.conference().registry().get(meetingId).orElseThrow();
        Browsers.waitFor(Duration.ofSeconds(30), () -> meeting.participants().stream().anyMatch(p -> p.displayName().equals("Bob")
                        && meeting.tracks().stream().anyMatch(t -> t.participantId().equals(p.id()) && t.sharedMicrophone())),
                () -> "Bob's audio track published as a shared microphone; tracks: " + meeting.tracks());
        assertThat(meeting.tracks()).as("only Bob's microphone is shared").filteredOn(t -> t.sharedMicrophone())
                .allSatisfy(t -> assertThat(meeting.participants().stream().filter(p -> p.id().equals(t.participantId()))
                        .map(p -> p.displayName()).findFirst()).contains("Bob"));
        Browsers.waitFor(Duration.ofSeconds(10), () -> host.findElement(By.id("record")).isDisplayed() && host.findElement(By.id("cc")).isDisplayed(),
                () -> "the host sees Record and CC");
        assertThat(guest.findElement(By.id("record")).isDisplayed()).as("guest sees Record").isFalse();
        assertThat(guest.findElement(By.id("cc")).isDisplayed()).as("guest sees CC").isFalse();
        // Both speak into the meeting before anything starts.
        Browsers.waitFor(Duration.ofSeconds(60), () -> "connected".equals(host.executeScript("return document.getElementById('room-app').dataset.connection"))
                && "connected".equals(guest.executeScript("return document.getElementById('room-app').dataset.connection")), () -> "media connected");

        host.findElement(By.id("record")).click();
        for (ChromeDriver b : browsers) {
            Browsers.waitFor(Duration.ofSeconds(15), () -> Browsers.notice(b).contains("being recorded"), () -> "recording notice; shows: " + Browsers.notice(b));
        }
        Browsers.waitFor(Duration.ofSeconds(10), () -> "true".equals(host.findElement(By.id("record")).getAttribute("aria-pressed")), () -> "Record pressed");
        host.findElement(By.id("cc")).click();
        for (ChromeDriver b : browsers) {
            Browsers.waitFor(Duration.ofSeconds(15), () -> Browsers.notice(b).contains("being recorded") && Browsers.notice(b).contains("transcription"),
                    () -> "recording and transcription notice; shows: " + Browsers.notice(b) + "; meeting: " + get(base + "/api/meetings/" + meetingId)
                            + "; room message: " + b.findElement(By.id("room-message")).getText()
                            + "; last messages: " + b.executeScript("return JSON.stringify(window.steno.messages.slice(-5))"));
        }

        // Captions of what the fake microphones say reach both rooms, under the speakers' names.
        for (ChromeDriver b : browsers) {
            Browsers.waitFor(Duration.ofSeconds(90), () -> Browsers.captionSpeakers(b).stream().anyMatch(s -> s.equals("Alice") || s.startsWith("Bob")),
                    () -> "captions with a speaker's name; overlay: " + b.findElement(By.id("captions")).getAttribute("textContent"));
        }
        // Bob's room microphone is diarized: his captions name a voice of his room.
        Browsers.waitFor(Duration.ofSeconds(60), () -> Browsers.captionSpeakers(host).stream().anyMatch(s -> s.startsWith("Bob (")),
                () -> "a caption of a voice of Bob's room; speakers seen: " + Browsers.captionSpeakers(host));
        Thread.sleep(4000); // a few more seconds of recording after captions started

        host.findElement(By.id("record")).click();
        Browsers.waitFor(Duration.ofSeconds(30), () -> !Browsers.notice(guest).contains("being recorded"), () -> "recording notice gone; " + Browsers.notice(guest));

        S3Target target = steno.storageTarget();
        try (S3Client s3 = S3Storage.newClient(target)) {
            String prefix = "meetings/" + meetingId + "/recordings/";
            String[] manifestKey = new String[1];
            Browsers.waitFor(Duration.ofSeconds(60), () -> {
                Optional<String> k = s3.listObjectsV2(r -> r.bucket(target.bucket()).prefix(prefix)).contents().stream()
                        .map(S3Object::key).filter(key -> key.endsWith("/manifest.json")).findFirst();
                k.ifPresent(v -> manifestKey[0] = v);
                return k.isPresent();
            }, () -> "manifest.json under " + prefix);
            JsonNode manifest = json.readTree(s3.getObjectAsBytes(r -> r.bucket(target.bucket()).key(manifestKey[0])).asUtf8String());
            List<String> audioNames = new ArrayList<>();
            boolean mixed = false;
            for (JsonNode f : manifest.path("files")) {
                String kind = f.path("kind").asString();
                if (kind.equals("video")) {
                    continue;
                }
                Path local = tmp.resolve(f.path("key").asString().replace('/', '_'));
                Files.write(local, s3.getObjectAsBytes(r -> r.bucket(target.bucket()).key(f.path("key").asString())).asByteArray());
                double seconds = ffprobeSeconds(local);
                if (kind.equals("mixed") && local.toString().endsWith(".ogg")) {
                    mixed = true;
                    assertThat(seconds).as("mixed.ogg duration").isGreaterThan(4);
                } else if (kind.equals("audio")) {
                    audioNames.add(f.path("displayName").asString());
                    assertThat(seconds).as("%s's track duration", f.path("displayName").asString()).isGreaterThan(4);
                    assertThat(f.path("codec").asString().toLowerCase()).contains("opus");
                }
            }
            assertThat(audioNames).containsExactlyInAnyOrder("Alice", "Bob");
            assertThat(mixed).as("a mixed Ogg/Opus file in the manifest").isTrue();

            // After the meeting: the host turns captions off (the transcript is then written) and
            // opens the meeting's archive page, which plays the recording and offers the transcript.
            host.findElement(By.id("cc")).click();
            String transcripts = "meetings/" + meetingId + "/transcripts/";
            Browsers.waitFor(Duration.ofSeconds(60), () -> s3.listObjectsV2(r -> r.bucket(target.bucket()).prefix(transcripts))
                    .contents().stream().anyMatch(o -> o.key().endsWith("/transcript.json")), () -> "transcript.json under " + transcripts);
        }
        // The host mutes Bob from his tile: Bob's page turns his microphone off and tells him.
        String bobId = meeting.participants().stream().filter(p -> p.displayName().equals("Bob")).findFirst().orElseThrow().id();
        host.findElement(By.cssSelector("[data-participant-id='" + bobId + "'] [data-action='mute-audio']")).click();
        Browsers.waitFor(Duration.ofSeconds(15), () -> "true".equals(guest.findElement(By.id("mute")).getAttribute("aria-pressed")),
                () -> "Bob's microphone is muted by the host; his page says: " + guest.findElement(By.id("room-message")).getText());
        assertThat(guest.findElement(By.id("room-message")).getText()).contains("A host muted your microphone");
        host.get(base + "/m/" + meetingId + "/archive");
        Browsers.waitFor(Duration.ofSeconds(15), () -> "loaded".equals(host.findElement(By.id("archive")).getAttribute("data-state")),
                () -> "archive page loaded: " + host.findElement(By.id("archive-message")).getText());
        WebElement vtt = host.findElement(By.cssSelector("li[data-transcript-id] a[data-format='vtt']"));
        String vttText = (String) host.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));",
                vtt.getAttribute("href"));
        assertThat(vttText).startsWith("WEBVTT").containsPattern("<v (Alice|Bob \\(\\d\\))>");
        assertThat(host.findElements(By.cssSelector("li[data-recording-id] a[data-kind='audio']")))
                .extracting(WebElement::getText).anyMatch(t -> t.startsWith("Alice")).anyMatch(t -> t.startsWith("Bob"));
        // The mix plays in the page: the browser reads its length through the range requests.
        Browsers.waitFor(Duration.ofSeconds(15), () -> {
            Object d = host.executeScript("const a = document.getElementById('player');"
                    + " return a && a.readyState >= 1 && isFinite(a.duration) ? a.duration : -1;");
            return d instanceof Number n && n.doubleValue() > 4;
        }, () -> "the recording's player knows its duration; got " + host.executeScript(
                "const a = document.getElementById('player'); return a ? a.readyState + '/' + a.duration"
                        + " + '/' + (a.error && a.error.message) : 'no audio element'"));
    }

    private static String get(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return e.toString();
        }
    }



    private static double ffprobeSeconds(Path file) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ffprobe %s: %s", file, out).isZero();
        return Double.parseDouble(out.lines().reduce((a, b) -> b).orElse("0"));
    }

}
