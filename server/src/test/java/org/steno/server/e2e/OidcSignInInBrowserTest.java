package org.steno.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.steno.identity.AuditEntry;
import org.steno.server.TestConfigs;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * Signing in with an OpenID Connect provider in headless Chromium: a real provider over HTTP
 * (mock-oauth2-server with its own login page: discovery, JWKS, the code flow), Steno's sign-in
 * page, the provider's page, back to Steno signed in with the roles the {@code groups} claim maps
 * to; the callback replayed is refused with a page that says why; signing out ends the
 * provider's session too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcSignInInBrowserTest {

    @TempDir
    static Path tmp;

    private MockOAuth2Server provider;
    private StenoProcess steno;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        provider = new MockOAuth2Server(new OAuth2Config(true, null, null, false, new OAuth2TokenProvider(), Set.of(),
                new MockWebServerWrapper()));
        provider.start(java.net.InetAddress.getLoopbackAddress(), 0);
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        env.put("STENO_AUTH_OIDC_ISSUER", provider.issuerUrl("agents").toString());
        env.put("STENO_AUTH_OIDC_CLIENT_ID", "steno-web");
        env.put("STENO_AUTH_OIDC_CLIENT_SECRET", "a-client-secret-for-the-test");
        env.put("STENO_AUTH_OIDC_ROLE_MAP", "steno-auditors=auditor,steno-admins=admin");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
        steno.start();
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
        if (provider != null) {
            provider.shutdown();
        }
    }

    @Test
    void anAgentSignsInThroughTheProvidersPageWithTheRolesItsGroupsGive() throws Exception {
        // Not "localhost": the public URL must be the address the browser uses, or the session
        // cookie set on the callback would belong to another host.
        String base = steno.publicUrl();
        browser.get(base + "/login");
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.findElement(By.id("oidc-sign-in")).isDisplayed(),
                () -> "the sign-in page offers the organisation's provider");
        browser.findElement(By.id("oidc-sign-in")).click();

        Browsers.waitFor(Duration.ofSeconds(20), () -> !browser.findElements(By.name("username")).isEmpty(),
                () -> "the provider's own login page; at " + browser.getCurrentUrl());
        assertThat(browser.getCurrentUrl()).startsWith(provider.issuerUrl("agents").toString());
        assertThat(browser.getCurrentUrl()).contains("code_challenge_method=S256").contains("nonce=");
        browser.findElement(By.name("username")).sendKeys("marie.curie");
        browser.findElement(By.name("claims")).sendKeys(
                "{\"groups\": [\"steno-auditors\", \"physics\"], \"name\": \"Marie Curie\", \"preferred_username\": \"marie.curie\"}");
        browser.findElement(By.cssSelector("input[type=submit]")).click();

        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.findElement(By.id("signed-in-as")).getText().contains("Marie Curie"),
                () -> "back on Steno, signed in; at " + browser.getCurrentUrl() + ": " + browser.findElement(By.tagName("body")).getText());
        String shown = browser.findElement(By.id("signed-in-as")).getText();
        assertThat(shown).contains("auditor").contains("agent").doesNotContain("admin");
        assertThat(steno.identity().accounts().byUsername("marie.curie")).hasValueSatisfying(a -> {
            assertThat(a.source()).isEqualTo("oidc");
            assertThat(a.displayName()).isEqualTo("Marie Curie");
        });
        AuditEntry signIn = steno.identity().auditLog().all().stream()
                .filter(e -> e.action().equals("SIGN_IN") && e.outcome().name().equals("ALLOWED")).findFirst().orElseThrow();
        assertThat(signIn.reason()).contains("identity provider").contains("auditor");
        assertThat(signIn.subject()).startsWith("oidc:");

        // A callback this browser did not start (a link someone sent): refused, with a page that says why.
        browser.get(base + "/auth/oidc/callback?state=forged-state&code=forged-code");
        Browsers.waitFor(Duration.ofSeconds(10), () -> !browser.findElements(By.id("sign-in-error")).isEmpty(),
                () -> "an error page; shows " + browser.findElement(By.tagName("body")).getText());
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("not started from this browser");

        // Signing out goes through the provider's end-session endpoint and back to Steno's sign-in page.
        browser.get(base + "/");
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.findElement(By.id("sign-out")).isDisplayed(), () -> "signed in still");
        browser.findElement(By.id("sign-out")).click();
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.getCurrentUrl().startsWith(base + "/login"),
                () -> "back on the sign-in page; at " + browser.getCurrentUrl());
        browser.get(base + "/");
        Browsers.waitFor(Duration.ofSeconds(20), () -> browser.findElement(By.id("sign-in-link")).isDisplayed(), () -> "signed out");
    }

    /**
     * The code flow driven by hand over HTTP, to replay its callback exactly: the second use of
     * the same state and code, with the same browser cookie, is refused.
     */
    @Test
    void aReplayedCallbackIsRefused() throws Exception {
        // A local account already has the provider's username: the two must stay two accounts.
        steno.identity().accounts().createLocal("replayer", "Local Replayer", "a long local password".toCharArray(),
                Set.of(org.steno.identity.PlatformRole.ADMIN));
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        String base = steno.publicUrl();
        var start = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/auth/oidc/start")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(start.statusCode()).isEqualTo(302);
        String stateCookie = start.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        java.net.URI authorize = java.net.URI.create(start.headers().firstValue("Location").orElseThrow());
        var login = http.send(java.net.http.HttpRequest.newBuilder(authorize)
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("username=replayer&claims=")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        java.net.URI callback = java.net.URI.create(login.headers().firstValue("Location").orElseThrow());
        assertThat(callback.getPath()).isEqualTo("/auth/oidc/callback");

        var first = http.send(java.net.http.HttpRequest.newBuilder(callback).header("Cookie", stateCookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
        assertThat(first.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("steno_session=") && c.contains("HttpOnly"));
        assertThat(steno.identity().accounts().byUsername("replayer")).hasValueSatisfying(a -> assertThat(a.source()).isEqualTo("local"));
        assertThat(steno.identity().accounts().list()).anySatisfy(a -> {
            assertThat(a.source()).isEqualTo("oidc");
            assertThat(a.username()).startsWith("replayer-");
            assertThat(a.roles()).doesNotContain(org.steno.identity.PlatformRole.ADMIN);
        });
        var again = http.send(java.net.http.HttpRequest.newBuilder(callback).header("Cookie", stateCookie).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("expired or was already used");
        assertThat(again.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("steno_session=") && !c.contains("Max-Age=0"));
        assertThat(again.body()).doesNotContain(callback.getRawQuery());
    }
}
