package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * The first administrator of a fresh {@code steno up}, in headless Chromium: signs in with the
 * one-time password printed at start, opens the admin page, adds an account (its password is
 * shown once and works), gives it the auditor role, disables it (its session ends); sets the
 * platform's retention of recordings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPageInBrowserTest {

    @TempDir
    static Path tmp;

    private StenoProcess steno;
    private String adminPassword;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(tmp.resolve("data")), new StenoPolicy());
            steno.start();
        } finally {
            System.setOut(before);
        }
        Matcher m = Pattern.compile("password: (\\S+)").matcher(console.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();
        adminPassword = m.group(1);
        browser = Browsers.launch(tmp, "/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            Browsers.quitAll(java.util.List.of(browser));
        }
        if (steno != null) {
            steno.close();
        }
    }

    private WebElement row(String username) {
        return browser.findElement(By.cssSelector("#accounts tr[data-username='" + username + "']"));
    }

    @Test
    void theFirstAdministratorManagesAccountsOnTheAdminPage() throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort();
        browser.get(base + "/admin");
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.getCurrentUrl().contains("/login"), () -> "sent to sign in first");
        browser.findElement(By.id("username")).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(adminPassword);
        browser.findElement(By.id("sign-in")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.getCurrentUrl().endsWith("/admin")
                        && !browser.findElements(By.cssSelector("#accounts tr[data-username='admin']")).isEmpty(),
                () -> "the admin page lists the admin; at " + browser.getCurrentUrl());

        browser.findElement(By.id("new-username")).sendKeys("zoe");
        browser.findElement(By.id("new-name")).sendKeys("Zoé Martin");
        browser.findElement(By.id("add-account")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> browser.findElement(By.id("admin-message")).getText().contains("one-time password"),
                () -> "the new account's password is shown");
        String zoePassword = browser.findElement(By.id("admin-message")).getText().replaceAll(".*one-time password: ", "").strip();
        Browsers.waitFor(Duration.ofSeconds(10), () -> !browser.findElements(By.cssSelector("#accounts tr[data-username='zoe']")).isEmpty(),
                () -> "zoe listed");
        assertThat(row("zoe").getText()).contains("Zoé Martin").contains("agent").contains("active");
        WebSession zoe = WebSession.signInExisting(steno, "zoe", zoePassword);

        WebElement roles = row("zoe").findElement(By.className("roles-input"));
        roles.clear();
        roles.sendKeys("auditor");
        row("zoe").findElements(By.tagName("button")).stream().filter(b -> b.getText().equals("Save roles")).findFirst().orElseThrow().click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> row("zoe").getText().contains("auditor") && !row("zoe").getText().contains("agent"),
                () -> "zoe is an auditor now: " + row("zoe").getText());
        assertThat(steno.identity().accounts().byUsername("zoe").orElseThrow().roles()).containsExactly(PlatformRole.AUDITOR);
        assertThat(zoe.get("/api/audit").statusCode()).as("her session sees the new role at once").isEqualTo(200);

        row("zoe").findElements(By.tagName("button")).stream().filter(b -> b.getText().equals("Disable")).findFirst().orElseThrow().click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> row("zoe").getText().contains("disabled"), () -> "zoe disabled");
        assertThat(zoe.get("/api/audit").statusCode()).as("her session ended").isEqualTo(401);
        assertThat(steno.identity().auditLog().all()).filteredOn(e -> e.resource().equals("accounts:zoe"))
                .extracting(e -> e.action() + " " + e.reason() + " by " + e.subject())
                .containsExactly("ACCOUNT_CREATE roles [agent] by local:admin", "ACCOUNT_ROLES roles [auditor] by local:admin",
                        "ACCOUNT_DISABLE  by local:admin");
        assertThat(Set.of(steno.identity().auditLog().verify().ok())).containsExactly(true);

        // Retention: the configured periods are said; the administrator keeps recordings 30 days platform-wide.
        Browsers.waitFor(Duration.ofSeconds(10), () -> browser.findElement(By.id("retention-now")).getText()
                        .equals("Now: recordings 90 days (configuration), transcripts 365 days (configuration)."),
                () -> "the retention in force: " + browser.findElement(By.id("retention-now")).getText());
        browser.findElement(By.id("retention-recordings")).sendKeys("30");
        browser.findElement(By.id("retention-save")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> browser.findElement(By.id("retention-now")).getText()
                        .equals("Now: recordings 30 days (platform policy), transcripts 365 days (configuration)."),
                () -> "the new retention: " + browser.findElement(By.id("retention-now")).getText());
        assertThat(browser.findElement(By.id("admin-message")).getText()).isEqualTo("Retention saved.");
        assertThat(steno.identity().retentionSettings().platform().orElseThrow().recordingsDays()).isEqualTo(30);
        assertThat(steno.identity().retentionSettings().platform().orElseThrow().transcriptsDays()).isNull();
        assertThat(browser.findElement(By.id("retention-recordings")).getAttribute("value")).isEqualTo("30");

        // One meeting kept ten years, from the same page: an administrator need not read the archive to set it.
        String meeting = WebSession.signIn(steno, "owner", PlatformRole.AGENT).createMeeting("Conseil");
        browser.findElement(By.id("meeting-retention-id")).sendKeys(meeting);
        browser.findElement(By.id("meeting-retention-recordings")).sendKeys("3650");
        browser.findElement(By.id("meeting-retention-save")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> browser.findElement(By.id("admin-message")).getText().equals("Meeting " + meeting
                        + ": recordings 3650 days (this meeting’s own), transcripts 365 days (configuration)."),
                () -> "the meeting's retention: " + browser.findElement(By.id("admin-message")).getText());
        assertThat(steno.identity().retentionSettings().meeting(meeting).orElseThrow().recordingsDays()).isEqualTo(3650);
        browser.findElement(By.id("meeting-retention-id")).clear();
        browser.findElement(By.id("meeting-retention-id")).sendKeys("nope-nope-nop");
        browser.findElement(By.id("meeting-retention-save")).click();
        Browsers.waitFor(Duration.ofSeconds(10), () -> browser.findElement(By.id("admin-message")).getText().equals("no meeting nope-nope-nop"),
                () -> "an unknown meeting is said: " + browser.findElement(By.id("admin-message")).getText());
    }
}
