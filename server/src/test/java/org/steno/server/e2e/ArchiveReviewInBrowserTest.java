package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.archive.ArchiveSearchEndToEndTest;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archive page's review in headless Chromium on the defaults of {@code steno up}: the owner
 * opens a meeting whose recording started 5 s after the meeting; the player, the transcript (with
 * speaker names and times) and the chat (markup shown as text) are on screen, transcript and chat
 * side by side below the player; a click on a line moves the player's {@code currentTime} there
 * (meeting time 30 s is 25 s into the recording) and marks the line as being played; a chat
 * message's time seeks too; {@code #t=47} opens the meeting at that segment; the last line, played,
 * is scrolled into view within the transcript's list. The owner is offered the evidence export.
 */
class ArchiveReviewInBrowserTest {

    @TempDir
    Path tmp;

    @Test
    void theOwnerSeesTranscriptAndChatBesideThePlayerAndAClickSeeksIt() throws Exception {
        StenoProcess steno = TestConfigs.startUp(tmp.resolve("data"), java.util.Map.of());
        ChromeDriver browser = null;
        try (StenoProcess p = steno) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            String meeting = owner.createMeeting("Conseil municipal");
            Instant start = Instant.parse("2026-12-01T09:00:00Z");
            S3Target target = p.storageTarget();
            Path ogg = tmp.resolve("mixed.ogg");
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:duration=60", "-c:a", "libopus", "-b:a", "24k", ogg.toString()).redirectErrorStream(true).start();
            assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(ffmpeg.exitValue()).as(new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            try (S3Client s3 = S3Storage.newClient(target)) {
                String rp = "meetings/" + meeting + "/recordings/rec-1/";
                s3.putObject(b -> b.bucket(target.bucket()).key(rp + "mixed.ogg"), RequestBody.fromFile(ogg));
                s3.putObject(b -> b.bucket(target.bucket()).key(rp + "manifest.json"), RequestBody.fromString("""
                        {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-12-01T09:00:05Z","durationMs":60000,"complete":true,
                         "files":[{"key":"%smixed.ogg","kind":"mixed","displayName":"","codec":"opus","durationMs":60000,"bytes":%d}]}
                        """.formatted(meeting, rp, Files.size(ogg))));
                // Three lines to read, then one a second from 52 s to 63 s: more than the list shows at once.
                List<String> lines = new java.util.ArrayList<>(List.of(
                        "s1|12|La réunion du conseil municipal commence.",
                        "s2|30|Je propose de voter le budget de l'école.",
                        "s1|47|Le budget est adopté à l'unanimité."));
                for (int t = 52; t < 64; t++) {
                    lines.add((t % 2 == 0 ? "s2" : "s1") + "|" + t + "|Point " + t + " de l'ordre du jour, une longue phrase "
                            + "pour que la ligne prenne de la place dans la liste de la transcription.");
                }
                s3.putObject(b -> b.bucket(target.bucket()).key("meetings/" + meeting + "/transcripts/live-0/transcript.json"),
                        RequestBody.fromString(ArchiveSearchEndToEndTest.transcript(meeting, start, lines.toArray(String[]::new)),
                                StandardCharsets.UTF_8));
                s3.putObject(b -> b.bucket(target.bucket()).key("meetings/" + meeting + "/chat.json"), RequestBody.fromString("""
                        {"meetingId":"%s","dropped":0,"messages":[
                         {"seq":1,"participantId":"p1","displayName":"Alice Martin","text":"Bonjour à tous","at":"2026-12-01T09:00:14Z","mediaTimeMs":14000},
                         {"seq":2,"participantId":"p2","displayName":"Dana","text":"<b>voir</b> le document","at":"2026-12-01T09:00:36Z","mediaTimeMs":36000}]}
                        """.formatted(meeting), StandardCharsets.UTF_8));
            }

            browser = Browsers.launch(tmp, "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
                    "1280,800");
            ChromeDriver b = browser;
            String base = "http://127.0.0.1:" + p.httpPort();
            b.get(base + "/login");
            b.findElement(By.id("username")).sendKeys("owner");
            b.findElement(By.id("password")).sendKeys(WebSession.PASSWORD);
            b.findElement(By.id("sign-in")).click();
            Browsers.waitFor(Duration.ofSeconds(20), () -> !b.getCurrentUrl().contains("/login"), () -> "signed in: " + b.getCurrentUrl());

            b.get(base + "/m/" + meeting + "/archive");
            Browsers.waitFor(Duration.ofSeconds(20), () -> "ready".equals(b.findElement(By.id("review")).getAttribute("data-state")),
                    () -> "the review is shown: " + b.findElement(By.id("archive-message")).getText());
            WebElement player = b.findElement(By.id("player"));
            List<WebElement> segments = b.findElements(By.cssSelector("#segments li[data-segment-id]"));
            assertThat(segments).hasSize(15);
            assertThat(segments.subList(0, 3)).extracting(WebElement::getText).containsExactly(
                    "0:12 Alice Martin: La réunion du conseil municipal commence.",
                    "0:30 Dana: Je propose de voter le budget de l'école.",
                    "0:47 Alice Martin: Le budget est adopté à l'unanimité.");
            List<WebElement> chat = b.findElements(By.cssSelector("#archive-chat li[data-seq]"));
            assertThat(chat).extracting(WebElement::getText).containsExactly(
                    "0:14 Alice Martin: Bonjour à tous", "0:36 Dana: <b>voir</b> le document");
            assertThat(b.findElements(By.cssSelector("#archive-chat b"))).as("chat markup stays text").isEmpty();
            assertThat(b.findElement(By.id("evidence-link")).getAttribute("href")).as("the owner may export the evidence")
                    .isEqualTo(base + "/api/meetings/" + meeting + "/evidence.zip");
            assertThat(b.findElement(By.id("evidence-link")).isDisplayed()).isTrue();
            // Beside the player: all three on screen, the chat to the right of the transcript, both below the player.
            assertThat(player.isDisplayed()).isTrue();
            WebElement transcriptList = b.findElement(By.id("segments"));
            WebElement chatList = b.findElement(By.id("archive-chat"));
            assertThat(transcriptList.isDisplayed()).isTrue();
            assertThat(chatList.isDisplayed()).isTrue();
            assertThat(chatList.getRect().getX()).isGreaterThan(transcriptList.getRect().getX() + transcriptList.getRect().getWidth() - 1);
            assertThat(Math.abs(chatList.getRect().getY() - transcriptList.getRect().getY())).isLessThan(10);
            assertThat(transcriptList.getRect().getY()).isGreaterThan(player.getRect().getY());
            assertThat(segments.get(0).getLocation().getY()).as("the transcript is in the window")
                    .isLessThan(((Number) b.executeScript("return window.innerHeight;")).intValue());

            Browsers.waitFor(Duration.ofSeconds(20), () -> ((Number) b.executeScript(
                    "return document.getElementById('player').readyState;")).intValue() >= 1, () -> "the player reads the recording");
            segments.get(1).findElement(By.cssSelector("button.review-time")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> currentTime(b) >= 25.0 && currentTime(b) < 29.0
                    && "true".equals(b.findElement(By.cssSelector("#segments li[data-segment-id='t-30']")).getAttribute("data-active")),
                    () -> "the player moved to 25 s and marks Dana's line: at " + currentTime(b) + ", active "
                            + b.findElement(By.id("review")).getAttribute("data-active-segment"));
            assertThat(b.findElement(By.id("archive")).getAttribute("data-seeked-to")).isEqualTo("25");
            assertThat(b.findElements(By.cssSelector("#segments li[data-active='true']"))).hasSize(1);

            // The transcript is the player's subtitle track too: a <track> of WebVTT on the recording's time line
            // (the recording began 5 s into the meeting, so Dana's line at 0:30 is a cue at 25 s).
            Browsers.waitFor(Duration.ofSeconds(10), () -> ((Number) b.executeScript(
                    "const t = document.querySelector('#player track'); return t && t.track.cues ? t.track.cues.length : -1;")).intValue() > 0,
                    () -> "the subtitle track's cues load");
            Object cue = b.executeScript("const t = document.querySelector('#player track');"
                    + " const c = [...t.track.cues].find(c => c.text.includes('voter le budget'));"
                    + " return [t.kind, t.track.cues.length, c.startTime, c.text];");
            assertThat((List<?>) cue).element(0).isEqualTo("subtitles");
            assertThat(((Number) ((List<?>) cue).get(1)).intValue()).as("one cue per line heard in the recording").isEqualTo(15);
            assertThat(((Number) ((List<?>) cue).get(2)).doubleValue()).isEqualTo(25.0);
            assertThat((String) ((List<?>) cue).get(3)).isEqualTo("<v Dana>Je propose de voter le budget de l'école.");

            // The speaker filter leaves one speaker's lines.
            new org.openqa.selenium.support.ui.Select(b.findElement(By.id("speaker-filter"))).selectByVisibleText("Dana");
            List<WebElement> shown = b.findElements(By.cssSelector("#segments li[data-segment-id]")).stream().filter(WebElement::isDisplayed).toList();
            assertThat(shown).isNotEmpty().allSatisfy(li -> assertThat(li.getText()).contains("Dana:"));
            assertThat(shown.size()).isLessThan(15);
            new org.openqa.selenium.support.ui.Select(b.findElement(By.id("speaker-filter"))).selectByVisibleText("Everyone");
            assertThat(b.findElements(By.cssSelector("#segments li[data-segment-id]")).stream().filter(WebElement::isDisplayed)).hasSize(15);

            // A click on a chat message seeks to when it was sent (14 s of the meeting: 9 s into the recording).
            chat.get(0).findElement(By.className("review-text")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> currentTime(b) >= 9.0 && currentTime(b) < 13.0,
                    () -> "the player moved to 9 s: at " + currentTime(b));

            // A search hit's address: the meeting at that moment, its segment marked.
            b.get(base + "/m/" + meeting + "/archive#t=47");
            Browsers.waitFor(Duration.ofSeconds(20), () -> "42".equals(b.findElement(By.id("archive")).getAttribute("data-seeked-to"))
                    && currentTime(b) >= 42.0 && currentTime(b) < 47.0
                    && "t-47".equals(b.findElement(By.id("review")).getAttribute("data-active-segment")),
                    () -> "opened at 0:47: at " + currentTime(b));

            // The last line (played until the recording ends) is kept in view within the transcript's list, which scrolls.
            b.get(base + "/m/" + meeting + "/archive#t=63");
            Browsers.waitFor(Duration.ofSeconds(20), () -> "t-63".equals(b.findElement(By.id("review")).getAttribute("data-active-segment")),
                    () -> "at 1:03: at " + currentTime(b) + ", active " + b.findElement(By.id("review")).getAttribute("data-active-segment"));
            Object view = b.executeScript("""
                    const list = document.getElementById('segments');
                    const li = list.querySelector("li[data-segment-id='t-63']");
                    const l = list.getBoundingClientRect(), r = li.getBoundingClientRect();
                    return [list.scrollHeight > list.clientHeight, list.scrollTop, r.top >= l.top - 1 && r.bottom <= l.bottom + 1];""");
            assertThat((List<?>) view).as("the list overflows, has scrolled, and shows the line").element(0).isEqualTo(true);
            assertThat(((Number) ((List<?>) view).get(1)).doubleValue()).isGreaterThan(0);
            assertThat((List<?>) view).element(2).isEqualTo(true);

            // Retention: the owner reads what the meeting follows; made an administrator, they get the form and keep the
            // recordings a week (from 1 December 2026 09:00:05: deleted on 8 December 2026).
            assertThat(b.findElement(By.id("retention-note")).getText())
                    .isEqualTo("Kept: recordings 90 days (configuration), transcripts 365 days (configuration).");
            assertThat(b.findElement(By.id("retention-form")).isDisplayed()).isFalse();
            p.identity().accounts().setRoles("owner", java.util.Set.of(PlatformRole.AGENT, PlatformRole.ADMIN));
            b.navigate().refresh();
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.findElement(By.id("retention-form")).isDisplayed(),
                    () -> "an administrator gets the retention form");
            b.findElement(By.id("retention-recordings")).sendKeys("7");
            b.findElement(By.id("retention-save")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> b.findElement(By.id("retention-note")).getText()
                            .equals("Kept: recordings 7 days (this meeting’s own), transcripts 365 days (configuration)."),
                    () -> "the meeting's own retention: " + b.findElement(By.id("retention-note")).getText());
            assertThat(b.findElement(By.id("retention-message")).getText()).isEqualTo("Retention saved.");
            assertThat(b.findElement(By.cssSelector("#recordings li[data-recording-id='rec-1'] p")).getText())
                    .contains("deleted on 8 December 2026");
            assertThat(p.identity().retentionSettings().meeting(meeting).orElseThrow().recordingsDays()).isEqualTo(7);
        } finally {
            if (browser != null) {
                Browsers.quitAll(List.of(browser));
            }
        }
    }

    private static double currentTime(ChromeDriver b) {
        return ((Number) b.executeScript("return document.getElementById('player').currentTime;")).doubleValue();
    }
}
