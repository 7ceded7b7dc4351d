package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.steno.identity.oidc.ProviderFixture.assertShowsNoSecrets;
import static org.steno.identity.oidc.ProviderFixture.authorize;
import static org.steno.identity.oidc.ProviderFixture.nextToken;
import static org.steno.identity.oidc.ProviderFixture.signIn;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.Route;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ID token's signature against the provider's JWK set: a token whose signature does not
 * match the published key is refused, and a rotated key is fetched when its kid shows up.
 */
class OidcSigningKeysTest {

    /** The mock signs tokens of issuer X with a key whose kid is X; these routes publish other keys. */
    private static MockOAuth2Server impostor;
    /** Signs with whatever key the test sets, and publishes that key alone: a provider rotating its key. */
    private static MockOAuth2Server rotating;
    private static RotatingKeys rotatingKeys;

    @BeforeAll
    static void startProviders() throws Exception {
        String sameKidOtherKey = new JWKSet(rsa("forged").toPublicJWK()).toString();
        String otherKid = new JWKSet(rsa("someone-else").toPublicJWK()).toString();
        impostor = new MockOAuth2Server(new Route.Builder()
                .get(new String[] {"/forged/jwks"}, r -> ProviderFixture.json(200, sameKidOtherKey))
                .get(new String[] {"/strange/jwks"}, r -> ProviderFixture.json(200, otherKid))
                .build());
        impostor.start();

        rotatingKeys = new RotatingKeys(rsa("key-2025"));
        rotating = new MockOAuth2Server(new OAuth2Config(false, null, null, false, new OAuth2TokenProvider(rotatingKeys), Set.of()));
        rotating.start();
    }

    @AfterAll
    static void stopProviders() {
        impostor.shutdown();
        rotating.shutdown();
    }

    @Test
    void aSignatureThatDoesNotMatchThePublishedKeyIsRefused() throws Exception {
        try (OidcClient client = ProviderFixture.discover(ProviderFixture.issuer(impostor, "forged"))) {
            nextToken(impostor, "forged", "victim", Map.of(), 300);
            ProviderFixture.Callback callback = authorize(client.begin());

            OidcException e = catchThrowableOfType(OidcException.class, () -> client.complete(callback.state(), callback.code(), null));

            assertThat(e).hasMessage("the sign-in provider's ID token was refused: its signature does not match the provider's published keys;"
                    + " start again");
            assertShowsNoSecrets(e, callback.code());
        }
    }

    @Test
    void aTokenSignedWithAnUnpublishedKeyIdIsRefused() throws Exception {
        try (OidcClient client = ProviderFixture.discover(ProviderFixture.issuer(impostor, "strange"))) {
            nextToken(impostor, "strange", "victim", Map.of(), 300);
            ProviderFixture.Callback callback = authorize(client.begin());

            OidcException e = catchThrowableOfType(OidcException.class, () -> client.complete(callback.state(), callback.code(), null));

            assertThat(e).hasMessage("the sign-in provider's ID token was refused: it is signed with a key or algorithm the provider"
                    + " does not publish; start again");
            assertShowsNoSecrets(e, callback.code());
        }
    }

    @Test
    void aRotatedKeyIsFetchedWhenItsKidAppearsAndTheKeySetIsCachedOtherwise() throws Exception {
        try (OidcClient client = ProviderFixture.discover(ProviderFixture.issuer(rotating, "steno"))) {
            ProviderFixture.drain(rotating);
            nextToken(rotating, "steno", "before-1", Map.of(), 300);
            OidcIdentity first = signIn(client);
            nextToken(rotating, "steno", "before-2", Map.of(), 300);
            signIn(client);
            assertThat(jwksFetches()).as("one fetch, then the cache").isEqualTo(1);

            rotatingKeys.rotateTo(rsa("key-2026"));
            nextToken(rotating, "steno", "after", Map.of(), 300);
            OidcIdentity after = signIn(client);

            assertThat(after.subject()).isEqualTo("after");
            assertThat(SignedJWT.parse(first.idToken()).getHeader().getKeyID()).isEqualTo("key-2025");
            assertThat(SignedJWT.parse(after.idToken()).getHeader().getKeyID()).isEqualTo("key-2026");
            assertThat(jwksFetches()).as("the unknown kid made the client fetch the key set again").isEqualTo(1);
        }
    }

    private static long jwksFetches() {
        return ProviderFixture.drain(rotating).stream().filter(r -> r.getPath().endsWith("/jwks")).count();
    }

    private static RSAKey rsa(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).generate();
    }

    /** Extends the mock's key provider, not our code: one current key, used to sign and to publish. */
    static final class RotatingKeys extends KeyProvider {
        private volatile RSAKey current;

        RotatingKeys(RSAKey first) {
            super(List.of(), "RS256");
            this.current = first;
        }

        void rotateTo(RSAKey next) {
            current = next;
        }

        @Override
        public JWK signingKey(String keyId) {
            return current;
        }

        /** The mock verifies its own access tokens (at UserInfo) through this. */
        @Override
        public List<JWK> get(JWKSelector selector, SecurityContext context) {
            return selector.select(new JWKSet(current));
        }
    }
}
