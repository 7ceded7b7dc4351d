package org.steno.conference.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.steno.conference.meeting.ParticipantRole;

class JoinTokensTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private final JoinTokens tokens = new JoinTokens(KEY, Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void roundTrip() throws Exception {
        String t = tokens.issue("abc-defg-hij", "guest:1", "Zoé « d'Arc »", ParticipantRole.HOST, Set.of("publish", "subscribe"));
        JoinGrant g = tokens.verify(t, "abc-defg-hij");
        assertThat(g.identity()).isEqualTo("guest:1");
        assertThat(g.displayName()).isEqualTo("Zoé « d'Arc »");
        assertThat(g.role()).isEqualTo(ParticipantRole.HOST);
        assertThat(g.grants()).containsExactlyInAnyOrder("publish", "subscribe");
        assertThat(g.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(10)));
    }

    @Test
    void rejectsForgedExpiredForeignAndGarbage() {
        String t = tokens.issue("abc-defg-hij", "guest:1", "Alice", ParticipantRole.PARTICIPANT, Set.of("publish"));
        // Another meeting.
        assertThatThrownBy(() -> tokens.verify(t, "xyz-defg-hij")).hasMessageContaining("another meeting");
        // Claims changed (role host) but signature kept.
        String body = new String(java.util.Base64.getUrlDecoder().decode(t.substring(0, t.indexOf('.'))));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(body.replace("participant", "host").getBytes())
                + t.substring(t.indexOf('.'));
        assertThatThrownBy(() -> tokens.verify(forged, "abc-defg-hij")).hasMessageContaining("signature");
        // Signed with another key.
        JoinTokens other = new JoinTokens("another-key-another-key-another-k".getBytes(), Duration.ofMinutes(10), Clock.fixed(now, ZoneOffset.UTC));
        assertThatThrownBy(() -> tokens.verify(other.issue("abc-defg-hij", "g", "A", ParticipantRole.HOST, Set.of()), "abc-defg-hij"))
                .hasMessageContaining("signature");
        // Expired.
        JoinTokens later = new JoinTokens(KEY, Duration.ofMinutes(10), Clock.fixed(now.plus(Duration.ofMinutes(10)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.verify(t, "abc-defg-hij")).hasMessageContaining("expired");
        for (String bad : new String[] {"", "x", "a.b.c", "!!!.???", ".", "e30.", "x".repeat(5000)}) {
            assertThatThrownBy(() -> tokens.verify(bad, "abc-defg-hij")).isInstanceOf(InvalidTokenException.class);
        }
        assertThatThrownBy(() -> tokens.verify(null, "abc-defg-hij")).isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> new JoinTokens(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
