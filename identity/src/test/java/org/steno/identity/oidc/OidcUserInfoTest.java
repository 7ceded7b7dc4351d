package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.steno.identity.oidc.ProviderFixture.CLIENT_ID;
import static org.steno.identity.oidc.ProviderFixture.assertShowsNoSecrets;
import static org.steno.identity.oidc.ProviderFixture.authorize;
import static org.steno.identity.oidc.ProviderFixture.nextToken;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.identity.PlatformRole;

/**
 * A provider shaped like ProConnect: only sub in the ID token, the profile from UserInfo as a
 * signed JWT, client_secret_post at the token endpoint, no groups. The mock issues and signs
 * everything; a route answers UserInfo the way ProConnect does.
 */
class OidcUserInfoTest {

    private static final String ISSUER_ID = "proconnect";
    private static final AtomicReference<String> DISCOVERY = new AtomicReference<>();
    private static final AtomicReference<Map<String, Object>> PROFILE = new AtomicReference<>();
    private static final AtomicReference<String> BEARER_SEEN = new AtomicReference<>();
    private static MockOAuth2Server server;
    private static OidcClient client;

    @BeforeAll
    static void startProvider() throws Exception {
        server = new MockOAuth2Server(new Route.Builder()
                .get(new String[] {"/" + ISSUER_ID + "/.well-known/openid-configuration"}, r -> ProviderFixture.json(200, DISCOVERY.get()))
                .get(new String[] {"/" + ISSUER_ID + "/userinfo"}, r -> {
                    BEARER_SEEN.set(r.getHeaders().get("Authorization"));
                    if (PROFILE.get() == null) {
                        return new OAuth2HttpResponse(Headers.of("WWW-Authenticate", "Bearer error=\"invalid_token\""), 401, null, null);
                    }
                    String jwt = server.getConfig().getTokenProvider().jwt(PROFILE.get(), Duration.ofMinutes(1), ISSUER_ID).serialize();
                    return new OAuth2HttpResponse(Headers.of("Content-Type", "application/jwt"), 200, jwt, null);
                })
                .build());
        server.start();
        DISCOVERY.set(ProviderFixture.discoveryDocument(server, "plain", ISSUER_ID, doc -> {
            doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt");
            doc.putArray("id_token_signing_alg_values_supported").add("ES256").add("RS256").add("HS256");
            doc.putArray("userinfo_signing_alg_values_supported").add("ES256").add("RS256").add("HS256");
        }));
        client = ProviderFixture.discover(ProviderFixture.issuer(server, ISSUER_ID));
    }

    @AfterAll
    static void stopProvider() {
        client.close();
        server.shutdown();
    }

    @BeforeEach
    void reset() {
        BEARER_SEEN.set(null);
    }

    @Test
    void theProfileComesFromTheSignedUserInfoAnswer() throws Exception {
        nextToken(server, ISSUER_ID, "a1b2c3-pc", Map.of("acr", "eidas1"), 60);
        PROFILE.set(profile("a1b2c3-pc", server.issuerUrl(ISSUER_ID).toString()));

        OidcIdentity who = ProviderFixture.signIn(client);

        assertThat(who.subject()).isEqualTo("a1b2c3-pc");
        assertThat(who.email()).isEqualTo("camille.martin@interieur.gouv.fr");
        assertThat(who.preferredUsername()).isEqualTo("camille.martin@interieur.gouv.fr");
        assertThat(who.displayName()).isEqualTo("Camille Martin");
        assertThat(who.roles()).as("no groups claim: the default roles only").containsExactly(PlatformRole.AGENT);
        assertThat(BEARER_SEEN.get()).startsWith("Bearer ey");
    }

    @Test
    void aProfileForAnotherUserIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "real-user", Map.of(), 60);
        PROFILE.set(profile("someone-else", server.issuerUrl(ISSUER_ID).toString()));

        OidcException e = fails();

        assertThat(e).hasMessage("the sign-in provider's user profile is not for the user its ID token names; start again");
    }

    @Test
    void aSignedProfileFromAnotherIssuerIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "real-user", Map.of(), 60);
        PROFILE.set(profile("real-user", "https://evil.example.org"));

        assertThat(fails()).hasMessage("the sign-in provider's user profile was refused: it was issued by another provider; start again");
    }

    @Test
    void aRefusedUserInfoRequestIsNamed() throws Exception {
        nextToken(server, ISSUER_ID, "real-user", Map.of(), 60);
        PROFILE.set(null);

        assertThat(fails()).hasMessage("the sign-in provider refused to give the user's profile (invalid_token); start again");
    }

    private static OidcException fails() throws Exception {
        ProviderFixture.Callback callback = authorize(client.begin());
        OidcException e = catchThrowableOfType(OidcException.class, () -> client.complete(callback.state(), callback.code(), null));
        assertThat(e).isNotNull();
        assertShowsNoSecrets(e, callback.code());
        return e;
    }

    /** ProConnect's claims (given_name, usual_name, email, uid, siret): no name, no preferred_username. */
    private static Map<String, Object> profile(String sub, String iss) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("iss", iss);
        claims.put("aud", CLIENT_ID);
        claims.put("given_name", "Camille");
        claims.put("usual_name", "Martin");
        claims.put("email", "camille.martin@interieur.gouv.fr");
        claims.put("uid", "cmartin");
        claims.put("siret", "11000201100044");
        return claims;
    }
}
