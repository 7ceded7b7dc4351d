package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.steno.identity.oidc.ProviderFixture.CLIENT_ID;
import static org.steno.identity.oidc.ProviderFixture.CLIENT_SECRET;
import static org.steno.identity.oidc.ProviderFixture.REDIRECT;
import static org.steno.identity.oidc.ProviderFixture.assertShowsNoSecrets;
import static org.steno.identity.oidc.ProviderFixture.authorize;
import static org.steno.identity.oidc.ProviderFixture.nextToken;
import static org.steno.identity.oidc.ProviderFixture.query;
import static org.steno.identity.oidc.ProviderFixture.signIn;

import com.nimbusds.jwt.JWTParser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.identity.PlatformRole;

/** The code flow end to end against a real provider (mock-oauth2-server) over HTTP. */
class OidcSignInTest {

    private static final String ISSUER_ID = "steno";
    private static MockOAuth2Server server;
    private static OidcClient client;

    @BeforeAll
    static void startProvider() throws Exception {
        server = new MockOAuth2Server();
        server.start();
        client = ProviderFixture.discover(ProviderFixture.issuer(server, ISSUER_ID));
    }

    @AfterAll
    static void stopProvider() {
        client.close();
        server.shutdown();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        ProviderFixture.drain(server);
    }

    @Test
    void signsInWithNamesAndRolesFromAGroupsArrayPlusTheDefaultRoles() throws Exception {
        nextToken(server, ISSUER_ID, "user-1234", Map.of(
                "preferred_username", "cmartin",
                "name", "Camille Martin",
                "email", "camille.martin@mairie.example.fr",
                "groups", List.of("steno-admins", "unrelated-group")), 300);

        OidcIdentity who = signIn(client);

        assertThat(who.issuer()).isEqualTo(server.issuerUrl(ISSUER_ID).toString());
        assertThat(who.subject()).isEqualTo("user-1234");
        assertThat(who.preferredUsername()).isEqualTo("cmartin");
        assertThat(who.displayName()).isEqualTo("Camille Martin");
        assertThat(who.email()).isEqualTo("camille.martin@mairie.example.fr");
        assertThat(who.roles()).containsExactlyInAnyOrder(PlatformRole.ADMIN, PlatformRole.AGENT);
        // The raw ID token is kept for the logout hint, and is the token that was verified.
        assertThat(JWTParser.parse(who.idToken()).getJWTClaimsSet().getSubject()).isEqualTo("user-1234");
        assertThat(who.toString()).contains("user-1234").doesNotContain(who.idToken()).doesNotContain("eyJ");
    }

    @Test
    void roleClaimMayBeASingleString() throws Exception {
        nextToken(server, ISSUER_ID, "auditor-1", Map.of("groups", "steno-auditors"), 300);

        assertThat(signIn(client).roles()).containsExactlyInAnyOrder(PlatformRole.AUDITOR, PlatformRole.AGENT);
    }

    @Test
    void unmappedOrMissingGroupsGiveOnlyTheDefaultRoles() throws Exception {
        nextToken(server, ISSUER_ID, "agent-1", Map.of("groups", List.of("/steno-admins", "Steno-Admins")), 300);
        assertThat(signIn(client).roles()).as("matching is exact: a full group path or other case is not the mapped value")
                .containsExactly(PlatformRole.AGENT);

        nextToken(server, ISSUER_ID, "agent-2", Map.of(), 300);
        assertThat(signIn(client).roles()).containsExactly(PlatformRole.AGENT);
    }

    @Test
    void namesFallBackToAVerifiedEmailThenToTheSubject() throws Exception {
        nextToken(server, ISSUER_ID, "user-e", Map.of("email", "e@example.org", "email_verified", true), 300);
        OidcIdentity byEmail = signIn(client);
        assertThat(byEmail.preferredUsername()).isEqualTo("e@example.org");
        assertThat(byEmail.displayName()).isEqualTo("e@example.org");

        // An email the provider has not verified could be anyone's: it names no account.
        nextToken(server, ISSUER_ID, "user-u", Map.of("email", "boss@example.org", "email_verified", false), 300);
        OidcIdentity unverified = signIn(client);
        assertThat(unverified.preferredUsername()).isEqualTo("user-u");
        assertThat(unverified.email()).isEqualTo("boss@example.org");

        nextToken(server, ISSUER_ID, "user-bare", Map.of(), 300);
        OidcIdentity bare = signIn(client);
        assertThat(bare.preferredUsername()).isEqualTo("user-bare");
        assertThat(bare.displayName()).isEqualTo("user-bare");
        assertThat(bare.email()).isEmpty();

        nextToken(server, ISSUER_ID, "user-g", Map.of("given_name", "Dominique", "family_name", "Durand"), 300);
        assertThat(signIn(client).displayName()).isEqualTo("Dominique Durand");
    }

    @Test
    void authorizationUrlCarriesPkceS256ANonceAndAFreshState() throws Exception {
        LoginStart start = client.begin();
        LoginStart other = client.begin();
        Map<String, String> q = query(start.authorizationUrl());
        Map<String, String> q2 = query(other.authorizationUrl());

        assertThat(start.authorizationUrl().toString()).startsWith(server.authorizationEndpointUrl(ISSUER_ID).toString() + "?");
        assertThat(q).containsEntry("response_type", "code")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("redirect_uri", REDIRECT.toString())
                .containsEntry("scope", "openid profile email")
                .containsEntry("code_challenge_method", "S256")
                .containsEntry("state", start.state())
                .doesNotContainKey("code_verifier");
        // 32 random bytes each, base64url; ProConnect asks for at least 32 characters.
        assertThat(q.get("state")).hasSize(43);
        assertThat(q.get("nonce")).hasSize(43);
        assertThat(q.get("code_challenge")).hasSize(43); // base64url of a SHA-256
        assertThat(q2.get("state")).isNotEqualTo(q.get("state"));
        assertThat(q2.get("nonce")).isNotEqualTo(q.get("nonce"));
        assertThat(q2.get("code_challenge")).isNotEqualTo(q.get("code_challenge"));
        assertThat(start.authorizationUrl().toString()).doesNotContain(CLIENT_SECRET);

        nextToken(server, ISSUER_ID, "pkce-user", Map.of(), 300);
        ProviderFixture.Callback callback = authorize(start);
        OidcIdentity who = client.complete(callback.state(), callback.code(), null);

        // The provider's ID token carries the nonce of this very request ...
        assertThat(JWTParser.parse(who.idToken()).getJWTClaimsSet().getStringClaim("nonce")).isEqualTo(q.get("nonce"));
        // ... and the token request proved possession of the verifier behind the challenge.
        RecordedRequest tokenRequest = ProviderFixture.drain(server).stream()
                .filter(r -> "POST".equals(r.getMethod()) && r.getPath().endsWith("/token")).findFirst().orElseThrow();
        Map<String, String> form = ProviderFixture.form(tokenRequest.getBody().readUtf8());
        assertThat(form).containsEntry("grant_type", "authorization_code")
                .containsEntry("code", callback.code())
                .containsEntry("redirect_uri", REDIRECT.toString())
                .doesNotContainKey("client_secret");
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(form.get("code_verifier").getBytes(StandardCharsets.US_ASCII)));
        assertThat(challenge).isEqualTo(q.get("code_challenge"));
        // client_secret_basic: the mock lists no token_endpoint_auth_methods_supported, so the default.
        assertThat(tokenRequest.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aReplayedCallbackIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "once", Map.of(), 300);
        ProviderFixture.Callback callback = authorize(client.begin());
        assertThat(client.complete(callback.state(), callback.code(), null).subject()).isEqualTo("once");

        assertThatThrownBy(() -> client.complete(callback.state(), callback.code(), null))
                .isInstanceOf(OidcException.class)
                .hasMessage("this sign-in link has expired or was already used; start again");
    }

    @Test
    void anUnknownOrMissingStateIsRefused() {
        assertThatThrownBy(() -> client.complete("made-up-state-made-up-state-made-up", "some-code", null))
                .isInstanceOf(OidcException.class).hasMessage(OidcClient.EXPIRED);
        assertThatThrownBy(() -> client.complete(null, "some-code", null))
                .isInstanceOf(OidcException.class).hasMessage(OidcClient.EXPIRED);
    }

    @Test
    void aProviderErrorIsNamedAndConsumesTheState() throws Exception {
        LoginStart start = client.begin();
        assertThatThrownBy(() -> client.complete(start.state(), null, "access_denied"))
                .isInstanceOf(OidcException.class)
                .hasMessage("the sign-in was cancelled or refused at the sign-in provider (access_denied)");
        assertThatThrownBy(() -> client.complete(start.state(), "late-code", null)).hasMessage(OidcClient.EXPIRED);

        // The error parameter comes from the browser: only a plain code reaches the sentence.
        LoginStart hostile = client.begin();
        assertThatThrownBy(() -> client.complete(hostile.state(), null, "<script>alert(1)</script> login_required"))
                .isInstanceOf(OidcException.class)
                .hasMessage("the sign-in provider reported an error (scriptalert1scriptlogin_required); start again");
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "aud-user", Map.of("aud", "another-application"), 300);
        ProviderFixture.Callback callback = authorize(client.begin());

        OidcException e = refused(callback);
        assertThat(e).hasMessage("the sign-in provider's ID token was refused: it was issued for another application; start again");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        // 60 s of skew are allowed, so "expired" means more than a minute ago.
        nextToken(server, ISSUER_ID, "late-user", Map.of(), -120);
        ProviderFixture.Callback callback = authorize(client.begin());

        assertThat(refused(callback)).hasMessage("the sign-in provider's ID token was refused: it has expired; start again");
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsAccepted() throws Exception {
        nextToken(server, ISSUER_ID, "skewed-user", Map.of(), -20);

        assertThat(signIn(client).subject()).isEqualTo("skewed-user");
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() throws Exception {
        long inTenMinutes = System.currentTimeMillis() / 1000 + 600;
        nextToken(server, ISSUER_ID, "future-user", Map.of("iat", inTenMinutes), 3600);
        ProviderFixture.Callback callback = authorize(client.begin());

        assertThat(refused(callback)).hasMessageContaining("its issue time is in the future");
    }

    @Test
    void aTokenNamingAnotherIssuerIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "iss-user", Map.of("iss", server.issuerUrl("someone-else").toString()), 300);
        ProviderFixture.Callback callback = authorize(client.begin());

        assertThat(refused(callback)).hasMessage("the sign-in provider's ID token was refused: it was issued by another provider; start again");
    }

    @Test
    void aTokenWithAnotherNonceIsRefused() throws Exception {
        nextToken(server, ISSUER_ID, "nonce-user", Map.of("nonce", "nonce-of-some-other-sign-in-0123456789"), 300);
        ProviderFixture.Callback callback = authorize(client.begin());

        assertThat(refused(callback)).hasMessage("the sign-in provider's ID token was refused: it does not belong to this sign-in; start again");
    }

    @Test
    void aCodeFromAnotherSignInFailsThePkceCheck() throws Exception {
        // An attacker's code pasted into a victim's callback: the victim's verifier does not match its challenge.
        LoginStart victim = client.begin();
        nextToken(server, ISSUER_ID, "attacker", Map.of(), 300);
        ProviderFixture.Callback attacker = authorize(client.begin());

        OidcException e = (OidcException) catchThrown(() -> client.complete(victim.state(), attacker.code(), null));
        assertThat(e).hasMessage("the sign-in provider refused to finish the sign-in (invalid_grant); start again");
        assertShowsNoSecrets(e, attacker.code());
    }

    @Test
    void aCodeTheProviderNeverIssuedForThisSignInIsRefused() throws Exception {
        // mock-oauth2-server 3.0.1 answers unknown codes with a token without nonce: the nonce check catches it.
        LoginStart start = client.begin();
        nextToken(server, ISSUER_ID, "forged-code", Map.of(), 300);

        OidcException e = (OidcException) catchThrown(() -> client.complete(start.state(), "invented-code-123", null));
        assertThat(e).hasMessage("the sign-in provider's ID token was refused: it does not belong to this sign-in; start again");
        assertShowsNoSecrets(e, "invented-code-123");
    }

    @Test
    void logoutGoesToTheAdvertisedEndSessionEndpointWithTheIdTokenHint() throws Exception {
        HttpResponse<String> discovery = ProviderFixture.get(URI.create(server.wellKnownUrl(ISSUER_ID).toString()));
        assertThat(discovery.body()).contains("\"end_session_endpoint\"");
        nextToken(server, ISSUER_ID, "leaving", Map.of(), 300);
        OidcIdentity who = signIn(client);
        URI afterLogout = URI.create("https://steno.example.org/signed-out");

        URI logout = client.logoutUrl(who.idToken(), afterLogout).orElseThrow();

        assertThat(logout.toString()).startsWith(server.endSessionEndpointUrl(ISSUER_ID).toString() + "?");
        Map<String, String> q = query(logout);
        assertThat(q).containsEntry("id_token_hint", who.idToken())
                .containsEntry("post_logout_redirect_uri", afterLogout.toString())
                .doesNotContainKey("client_id");
        assertThat(q.get("state")).hasSizeGreaterThanOrEqualTo(32);
        // The provider sends the browser back to us, with the state.
        HttpResponse<String> visit = ProviderFixture.get(logout);
        assertThat(visit.statusCode()).isEqualTo(302);
        assertThat(visit.headers().firstValue("Location")).hasValue(afterLogout + "?state=" + q.get("state"));

        Map<String, String> withoutHint = query(client.logoutUrl(null, afterLogout).orElseThrow());
        assertThat(withoutHint).containsEntry("client_id", CLIENT_ID).doesNotContainKey("id_token_hint");
    }

    @Test
    void aClosedClientStartsNoSignIn() throws Exception {
        OidcClient other = ProviderFixture.discover(ProviderFixture.issuer(server, ISSUER_ID));
        LoginStart start = other.begin();
        other.close();

        assertThatThrownBy(other::begin).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.complete(start.state(), "code", null)).isInstanceOf(IllegalStateException.class);
    }

    private static OidcException refused(ProviderFixture.Callback callback) {
        OidcException e = (OidcException) catchThrown(() -> client.complete(callback.state(), callback.code(), null));
        assertShowsNoSecrets(e, callback.code());
        return e;
    }

    private static Throwable catchThrown(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
        assertThat(t).isInstanceOf(OidcException.class);
        return t;
    }
}
