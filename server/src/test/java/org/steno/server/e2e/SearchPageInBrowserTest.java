package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * The search page in headless Chromium on the defaults of {@code steno up}: an auditor signs in,
 * searches, sees the hit with the matched word marked, its speaker and time code, narrows by a
 * speaker facet, gets the server's sentence for a bad query, and opens a hit: the meeting's
 * archive page seeks its recording's player to that moment (the recording started 5 s after the
 * meeting, so meeting time 47 s is 42 s into it).
 */
class SearchPageInBrowserTest {

    @TempDir
    Path tmp;

    private static final Path SHOTS = Path.of("target", "search");

    @Test
    void anAuditorSearchesAndOpensTheRecordingAtTheHit() throws Exception {
        StenoProcess steno = TestConfigs.startUp(tmp.resolve("data"), java.util.Map.of());
        ChromeDriver browser = null;
        try (StenoProcess p = steno) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession.signIn(p, "auditor", PlatformRole.AUDITOR);
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
                s3.putObject(b -> b.bucket(target.bucket()).key("meetings/" + meeting + "/transcripts/live-0/transcript.json"),
                        RequestBody.fromString(ArchiveSearchEndToEndTest.transcript(meeting, start,
                                "s1|12|La réunion du conseil municipal commence.",
                                "s2|30|Je propose de voter le budget de l'école.",
                                "s1|47|Le budget est adopté à l'unanimité."), StandardCharsets.UTF_8));
            }

            browser = Browsers.launch(tmp, "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav",
                    "1280,800");
            ChromeDriver b = browser;
            String base = "http://127.0.0.1:" + p.httpPort();
            b.get(base + "/search?q=budget");
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.getCurrentUrl().contains("/login"), () -> "sent to sign in first");
            b.findElement(By.id("username")).sendKeys("auditor");
            b.findElement(By.id("password")).sendKeys(WebSession.PASSWORD);
            b.findElement(By.id("sign-in")).click();
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.getCurrentUrl().endsWith("/search")
                    && "true".equals(b.findElement(By.id("search-app")).getAttribute("data-booted")), () -> "back on the search page");

            WebElement q = b.findElement(By.id("q"));
            q.sendKeys("budget");
            // The index follows the bucket within seconds: search again until the meeting is there.
            Browsers.waitFor(Duration.ofSeconds(10), () -> {
                b.findElement(By.id("search-button")).click();
                return !b.findElements(By.cssSelector("#results li[data-meeting-id='" + meeting + "']")).isEmpty();
            }, () -> "the meeting is found: " + b.findElement(By.id("search-message")).getText());
            WebElement result = b.findElement(By.cssSelector("#results li[data-meeting-id='" + meeting + "']"));
            assertThat(result.getText()).contains("Conseil municipal").contains("2 passages");
            assertThat(result.findElements(By.tagName("mark"))).extracting(WebElement::getText).containsOnly("budget");
            assertThat(b.findElement(By.id("search-message")).getText()).isEqualTo("2 passages in 1 meeting.");
            assertThat(b.getCurrentUrl()).endsWith("/search?q=budget");
            WebElement hit = result.findElement(By.cssSelector("li[data-hit='47']"));
            assertThat(hit.getText()).startsWith("0:47").contains("Alice Martin");
            // The README shows the page as it is now (target/search/, copied to docs/).
            java.nio.file.Files.createDirectories(SHOTS);
            java.nio.file.Files.write(SHOTS.resolve("search-results-1280x800.png"), b.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));

            // The auditor puts what the search found under legal hold from the page.
            assertThat(b.findElement(By.id("hold-form")).isDisplayed()).as("an auditor may hold the results").isTrue();
            b.findElement(By.id("hold-reason")).sendKeys("Dossier 2026-42");
            b.findElement(By.id("hold-button")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> b.findElement(By.id("hold-status")).getText()
                    .equals("1 meeting(s) placed under legal hold."), () -> "held: " + b.findElement(By.id("hold-status")).getText());
            assertThat(p.identity().legalHolds().find(meeting).orElseThrow().reason()).isEqualTo("Dossier 2026-42");

            b.findElement(By.cssSelector("#facet-speakers li[data-speaker='Dana'] button")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> b.findElement(By.id("search-message")).getText().equals("1 passage in 1 meeting."),
                    () -> "narrowed to Dana: " + b.findElement(By.id("search-message")).getText());
            assertThat(b.findElement(By.id("q")).getAttribute("value")).isEqualTo("budget speaker:Dana");

            q = b.findElement(By.id("q"));
            q.clear();
            q.sendKeys("budget \"conseil");
            b.findElement(By.id("search-button")).click();
            Browsers.waitFor(Duration.ofSeconds(10), () -> "error".equals(b.findElement(By.id("search-app")).getAttribute("data-state")),
                    () -> "the bad query is refused");
            assertThat(b.findElement(By.id("search-message")).getText()).contains("unbalanced quote");

            b.get(base + "/search?q=budget");
            Browsers.waitFor(Duration.ofSeconds(10), () -> !b.findElements(By.cssSelector("li[data-hit='47'] a[data-hit-link]")).isEmpty(),
                    () -> "results again");
            b.findElement(By.cssSelector("li[data-hit='47'] a[data-hit-link]")).click();
            Browsers.waitFor(Duration.ofSeconds(20), () -> b.getCurrentUrl().endsWith("/m/" + meeting + "/archive#t=47")
                    && b.findElement(By.id("archive")).getAttribute("data-seeked-to") != null, () -> "the archive page seeks: at "
                    + b.getCurrentUrl());
            assertThat(b.findElement(By.id("archive")).getAttribute("data-seeked-to")).isEqualTo("42");
            Object at = b.executeScript("return document.getElementById('player').currentTime;");
            assertThat(((Number) at).doubleValue()).as("the player is at the moment").isGreaterThanOrEqualTo(42.0).isLessThan(50.0);
            java.nio.file.Files.write(SHOTS.resolve("archive-at-hit-1280x800.png"), b.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } finally {
            if (browser != null) {
                Browsers.quitAll(java.util.List.of(browser));
            }
        }
    }
}
