package org.steno.conference.api;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.steno.conference.meeting.ParticipantRole;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Short-lived signed join tokens: {@code base64url(json claims) "." base64url(HMAC-SHA256)}.
 * The claims name the meeting, identity, display name, role, grants and expiry; the key
 * never leaves the server. Verification is constant-time and checks the meeting too, so a
 * token for one meeting cannot open another.
 */
public final class JoinTokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MAX_TOKEN = 4096;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    /** @param key at least 32 random bytes */
    public JoinTokens(byte[] key, Duration ttl, Clock clock) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a join-token key needs at least 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    public JoinTokens(byte[] key) {
        this(key, Duration.ofMinutes(10), Clock.systemUTC());
    }

    public Duration ttl() {
        return ttl;
    }

    public String issue(String meetingId, String identity, String displayName, ParticipantRole role, Set<String> grants) {
        Instant exp = clock.instant().plus(ttl);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("m", meetingId);
        claims.put("sub", identity);
        claims.put("name", displayName);
        claims.put("role", role.name().toLowerCase(Locale.ROOT));
        claims.put("grants", new ArrayList<>(new TreeSet<>(grants)));
        claims.put("exp", exp.getEpochSecond());
        String body = B64.encodeToString(json.writeValueAsBytes(claims));
        return body + "." + B64.encodeToString(sign(body));
    }

    /** Checks signature, expiry and meeting; returns what the token grants. */
    public JoinGrant verify(String token, String meetingId) throws InvalidTokenException {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException("a join token is required; get one from POST /api/meetings/<id>/join");
        }
        if (token.length() > MAX_TOKEN) {
            throw new InvalidTokenException("join token too long");
        }
        int dot = token.indexOf('.');
        if (dot < 1 || dot != token.lastIndexOf('.')) {
            throw new InvalidTokenException("join token is malformed");
        }
        String body = token.substring(0, dot);
        byte[] mac;
        try {
            mac = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("join token is malformed");
        }
        if (!MessageDigest.isEqual(mac, sign(body))) {
            throw new InvalidTokenException("join token signature is invalid");
        }
        JsonNode c;
        try {
            c = json.readTree(B64D.decode(body));
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidTokenException("join token is malformed");
        }
        Instant exp = Instant.ofEpochSecond(c.path("exp").asLong(0));
        if (!clock.instant().isBefore(exp)) {
            throw new InvalidTokenException("join token expired at " + exp + "; ask for a new one");
        }
        String m = c.path("m").asString("");
        if (!m.equals(meetingId)) {
            throw new InvalidTokenException("join token is for another meeting");
        }
        ParticipantRole role;
        try {
            role = ParticipantRole.valueOf(c.path("role").asString("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("join token has an unknown role");
        }
        List<String> grants = new ArrayList<>();
        c.path("grants").forEach(g -> grants.add(g.asString("")));
        return new JoinGrant(m, c.path("sub").asString(""), c.path("name").asString(""), role, Set.copyOf(grants), exp);
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
