package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.steno.identity.oidc.ProviderFixture.authorize;
import static org.steno.identity.oidc.ProviderFixture.nextToken;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pending sign-ins: 10 minutes to come back, at most 10 000 at once. Time moves by hand. */
class OidcPendingSignInsTest {

    private static MockOAuth2Server server;
    private org.steno.identity.TestClock clock;
    private OidcClient client;

    @BeforeAll
    static void startProvider() {
        server = new MockOAuth2Server();
        server.start();
    }

    @AfterAll
    static void stopProvider() {
        server.shutdown();
    }

    @BeforeEach
    void discover() throws Exception {
        clock = new org.steno.identity.TestClock(Instant.parse("2025-06-02T08:00:00Z"));
        client = OidcClient.discover(ProviderFixture.settings(ProviderFixture.issuer(server, "steno")), ProviderFixture.TIMEOUT, clock);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void aSignInCanFinishUpToTenMinutesAfterItStarted() throws Exception {
        nextToken(server, "steno", "slow-typist", Map.of(), 300);
        ProviderFixture.Callback callback = authorize(client.begin());
        clock.advance(Duration.ofMinutes(10).minusSeconds(1));

        assertThat(client.complete(callback.state(), callback.code(), null).subject()).isEqualTo("slow-typist");
    }

    @Test
    void afterTenMinutesTheStateHasExpired() throws Exception {
        ProviderFixture.Callback callback = authorize(client.begin());
        clock.advance(Duration.ofMinutes(10));

        assertThatThrownBy(() -> client.complete(callback.state(), callback.code(), null))
                .isInstanceOf(OidcException.class).hasMessage(OidcClient.EXPIRED);
    }

    @Test
    void expiredSignInsAreDroppedWhenNewOnesStart() {
        for (int i = 0; i < 5; i++) {
            client.begin();
        }
        assertThat(client.pendingSignIns()).isEqualTo(5);
        clock.advance(Duration.ofMinutes(11));

        client.begin();

        assertThat(client.pendingSignIns()).isEqualTo(1);
    }

    @Test
    void pastTenThousandTheOldestPendingSignInIsDropped() throws Exception {
        LoginStart oldest = client.begin();
        LoginStart second = client.begin();
        for (int i = 2; i < OidcClient.MAX_PENDING; i++) {
            client.begin();
        }
        assertThat(client.pendingSignIns()).isEqualTo(OidcClient.MAX_PENDING);

        LoginStart newest = client.begin();

        assertThat(client.pendingSignIns()).isEqualTo(OidcClient.MAX_PENDING);
        assertThatThrownBy(() -> client.complete(oldest.state(), "code", null)).hasMessage(OidcClient.EXPIRED);
        nextToken(server, "steno", "second", Map.of(), 300);
        ProviderFixture.Callback secondBack = authorize(second);
        assertThat(client.complete(secondBack.state(), secondBack.code(), null).subject()).isEqualTo("second");
        nextToken(server, "steno", "newest", Map.of(), 300);
        ProviderFixture.Callback newestBack = authorize(newest);
        assertThat(client.complete(newestBack.state(), newestBack.code(), null).subject()).isEqualTo("newest");
    }
}
