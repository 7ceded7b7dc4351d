package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.steno.identity.oidc.ProviderFixture.CLIENT_ID;
import static org.steno.identity.oidc.ProviderFixture.CLIENT_SECRET;
import static org.steno.identity.oidc.ProviderFixture.assertShowsNoSecrets;
import static org.steno.identity.oidc.ProviderFixture.nextToken;
import static org.steno.identity.oidc.ProviderFixture.settings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Startup against providers whose discovery goes wrong, or whose metadata differs from the
 * mock's: routes on the same server stand in for those documents; token, keys and UserInfo
 * are still the mock's own.
 */
class OidcDiscoveryTest {

    private static final AtomicReference<String> LIAR = new AtomicReference<>();
    private static final AtomicReference<String> BARE = new AtomicReference<>();
    private static final AtomicReference<String> POST_ONLY = new AtomicReference<>();
    private static final AtomicReference<String> HMAC_ONLY = new AtomicReference<>();
    private static MockOAuth2Server server;

    @BeforeAll
    static void startProvider() throws Exception {
        server = new MockOAuth2Server(new Route.Builder()
                .get(new String[] {"/liar/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, LIAR.get()))
                .get(new String[] {"/bare/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, BARE.get()))
                .get(new String[] {"/postonly/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, POST_ONLY.get()))
                .get(new String[] {"/hmac/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, HMAC_ONLY.get()))
                .get(new String[] {"/gone/.well-known/openid-configuration"}, r -> new OAuth2HttpResponse(okhttp3.Headers.of(), 404, "no", null))
                .get(new String[] {"/notjson/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, "[1, 2"))
                .get(new String[] {"/slow/.well-known/openid-configuration"}, r -> {
                    sleep(1_500);
                    return ProviderFixture.json(200, "{}");
                })
                .build());
        server.start();
        // Another issuer's document served at /liar: it names the "steno" issuer, not /liar.
        LIAR.set(ProviderFixture.discoveryDocument(server, "steno", "steno", doc -> { }));
        BARE.set(ProviderFixture.discoveryDocument(server, "plain", "bare", doc -> doc.remove("end_session_endpoint")));
        POST_ONLY.set(ProviderFixture.discoveryDocument(server, "plain", "postonly", doc ->
                doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")));
        HMAC_ONLY.set(ProviderFixture.discoveryDocument(server, "plain", "hmac", doc -> {
            ArrayNode algs = doc.putArray("id_token_signing_alg_values_supported");
            algs.add("HS256");
        }));
    }

    @AfterAll
    static void stopProvider() {
        server.shutdown();
    }

    @Test
    void anUnreachableIssuerIsOneSentence() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        URI issuer = URI.create("http://127.0.0.1:" + closedPort + "/realms/steno");

        OidcException e = failsToDiscover(issuer, ProviderFixture.TIMEOUT);

        assertThat(e).hasMessageStartingWith("cannot reach the sign-in provider at http://127.0.0.1:" + closedPort
                + "/realms/steno/.well-known/openid-configuration to read its discovery document: ");
        assertThat(e.getMessage()).containsIgnoringCase("connection refused");
    }

    @Test
    void aDocumentNamingAnotherIssuerIsRefused() {
        URI configured = ProviderFixture.issuer(server, "liar");

        OidcException e = failsToDiscover(configured, ProviderFixture.TIMEOUT);

        assertThat(e).hasMessage("the discovery document at " + configured + "/.well-known/openid-configuration names the issuer "
                + server.issuerUrl("steno") + ", not the configured " + configured + "; set auth.oidc.issuer to exactly "
                + server.issuerUrl("steno"));
    }

    @Test
    void aTrailingSlashIsAnotherIssuer() {
        URI withSlash = URI.create(server.issuerUrl("steno") + "/");

        OidcException e = failsToDiscover(withSlash, ProviderFixture.TIMEOUT);

        assertThat(e).hasMessageContaining("names the issuer " + server.issuerUrl("steno") + ", not the configured " + withSlash);
    }

    @Test
    void aMissingOrBrokenDocumentIsNamed() {
        assertThat(failsToDiscover(ProviderFixture.issuer(server, "gone"), ProviderFixture.TIMEOUT))
                .hasMessageStartingWith("the sign-in provider answered HTTP 404 for its discovery document ");
        assertThat(failsToDiscover(ProviderFixture.issuer(server, "notjson"), ProviderFixture.TIMEOUT))
                .hasMessageStartingWith("the discovery document at " + ProviderFixture.issuer(server, "notjson")
                        + "/.well-known/openid-configuration is not valid OpenID Connect provider metadata");
    }

    @Test
    void aSlowProviderHitsTheTimeout() {
        long started = System.nanoTime();

        OidcException e = failsToDiscover(ProviderFixture.issuer(server, "slow"), Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1_400));
        assertThat(e).hasMessageStartingWith("cannot reach the sign-in provider at ");
        assertThat(e.getMessage()).containsIgnoringCase("timed out");
    }

    @Test
    void withoutEndSessionEndpointThereIsNoLogoutUrlButSignInWorks() throws Exception {
        try (OidcClient client = ProviderFixture.discover(ProviderFixture.issuer(server, "bare"))) {
            assertThat(client.logoutUrl("a.b.c", URI.create("https://steno.example.org/signed-out"))).isEmpty();

            nextToken(server, "bare", "bare-user", Map.of(), 300);
            assertThat(ProviderFixture.signIn(client).subject()).isEqualTo("bare-user");
        }
    }

    @Test
    void aProviderListingOnlyClientSecretPostGetsTheSecretInTheBody() throws Exception {
        // ProConnect lists client_secret_post and private_key_jwt, not client_secret_basic.
        try (OidcClient client = ProviderFixture.discover(ProviderFixture.issuer(server, "postonly"))) {
            ProviderFixture.drain(server);
            nextToken(server, "postonly", "post-user", Map.of(), 300);
            assertThat(ProviderFixture.signIn(client).subject()).isEqualTo("post-user");

            RecordedRequest token = ProviderFixture.drain(server).stream()
                    .filter(r -> "POST".equals(r.getMethod()) && r.getPath().endsWith("/postonly/token")).findFirst().orElseThrow();
            assertThat(token.getHeader("Authorization")).isNull();
            assertThat(ProviderFixture.form(token.getBody().readUtf8()))
                    .containsEntry("client_id", CLIENT_ID)
                    .containsEntry("client_secret", CLIENT_SECRET);
        }
    }

    @Test
    void aProviderSigningOnlyWithTheSharedSecretIsRefusedAtStartup() {
        OidcException e = failsToDiscover(ProviderFixture.issuer(server, "hmac"), ProviderFixture.TIMEOUT);

        assertThat(e).hasMessage("the sign-in provider " + server.issuerUrl("hmac") + " signs ID tokens only with [HS256];"
                + " register the client with RS256 or ES256");
    }

    private static OidcException failsToDiscover(URI issuer, Duration timeout) {
        OidcException e = catchThrowableOfType(OidcException.class, () -> OidcClient.discover(settings(issuer), timeout, Clock.systemUTC()));
        assertThat(e).as("discovery of %s must fail", issuer).isNotNull();
        assertShowsNoSecrets(e);
        return e;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
