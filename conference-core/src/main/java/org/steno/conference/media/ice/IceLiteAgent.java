package org.steno.conference.media.ice;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.steno.conference.media.mux.CandidatePair;
import org.steno.conference.media.mux.Counters;
import org.steno.conference.media.stun.StunBuilder;
import org.steno.conference.media.stun.StunException;
import org.steno.conference.media.stun.StunMessage;

/**
 * The ICE-lite side of one peer (RFC 8445 §2.5): answers the browser's binding requests when USERNAME is
 * {@code ourUfrag:theirUfrag}, MESSAGE-INTEGRITY verifies with our password and FINGERPRINT is right; learns the
 * candidate pair (the socket the check came in on, the browser's address) from each valid check and selects the
 * first one, then the one the browser nominates (RFC 8445 §7.3.1.5: the controlling side decides); remembers when
 * the last valid check came (consent freshness, RFC 7675). Not thread-safe: used by the endpoint's serial queue.
 */
public final class IceLiteAgent {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final String localUfrag;
    private final String localPwd;
    private final byte[] localKey;
    private volatile String remoteUfrag;
    private volatile CandidatePair selected;
    private volatile CandidatePair lastValid;
    private volatile long lastValidNanos;
    private volatile boolean nominated;

    /** The outcome of one STUN datagram. */
    public record Result(byte[] response, CandidatePair validPair, boolean useCandidate) {
        static final Result DROP = new Result(null, null, false);
    }

    public IceLiteAgent() {
        this(random(8), random(24));
    }

    public IceLiteAgent(String localUfrag, String localPwd) {
        this.localUfrag = localUfrag;
        this.localPwd = localPwd;
        this.localKey = localPwd.getBytes(StandardCharsets.UTF_8);
        this.lastValidNanos = System.nanoTime();
    }

    public static String random(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    /** The browser's ufrag from its offer; checks naming another ufrag are refused once it is set. */
    public void setRemoteUfrag(String ufrag) {
        this.remoteUfrag = ufrag;
    }

    /**
     * Handles one STUN datagram that came in on {@code pair}. Returns the response to send back on that same pair
     * (a success with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and FINGERPRINT) and the pair the check validated, or
     * {@link Result#DROP} with a counter bumped.
     */
    public Result handle(byte[] data, CandidatePair pair, Counters counters) {
        StunMessage m;
        try {
            m = StunMessage.parse(data, 0, data.length);
        } catch (StunException e) {
            counters.inc("stun.drop.malformed");
            return Result.DROP;
        }
        if (m.type() != StunMessage.BINDING_REQUEST) {
            counters.inc(m.type() == StunMessage.BINDING_INDICATION ? "stun.indication" : "stun.drop.not-request");
            return Result.DROP;
        }
        if (!m.hasFingerprint() || !m.checkFingerprint()) {
            counters.inc("stun.drop.bad-fingerprint");
            return Result.DROP;
        }
        String user = m.username();
        String expectedRemote = remoteUfrag;
        if (user == null || !user.startsWith(localUfrag + ":")
                || (expectedRemote != null && !user.equals(localUfrag + ":" + expectedRemote))) {
            counters.inc("stun.drop.bad-username");
            return Result.DROP;
        }
        if (!m.checkIntegrity(localKey)) {
            counters.inc("stun.drop.bad-integrity");
            return Result.DROP;
        }
        boolean useCandidate = m.has(StunMessage.ATTR_USE_CANDIDATE);
        lastValid = pair;
        lastValidNanos = System.nanoTime();
        if (useCandidate || selected == null) {
            selected = pair;
        }
        if (useCandidate) {
            nominated = true;
        }
        byte[] tid = m.transactionId();
        byte[] response = new StunBuilder(StunMessage.BINDING_SUCCESS, tid)
                .xorMappedAddress(pair.remote(), tid)
                .integrity(localKey)
                .fingerprint();
        counters.inc("stun.binding.ok");
        return new Result(response, pair, useCandidate);
    }

    /** Where to send media, and from which socket: the nominated pair, else the first validated one. */
    public CandidatePair selectedPair() {
        CandidatePair s = selected;
        return s != null ? s : lastValid;
    }

    public boolean isNominated() {
        return nominated;
    }

    public boolean hasValidCheck() {
        return lastValid != null;
    }

    /** Nanoseconds since the last valid check (or since creation). */
    public long nanosSinceLastValidCheck() {
        return System.nanoTime() - lastValidNanos;
    }
}
