package org.steno.simulator.media;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.steno.conference.media.stun.StunBuilder;
import org.steno.conference.media.stun.StunException;
import org.steno.conference.media.stun.StunMessage;

/**
 * The controlling side's connectivity checks against an ICE-lite server (RFC 8445 §7.2.4): a binding request
 * with USERNAME {@code serverUfrag:ourUfrag}, PRIORITY, ICE-CONTROLLING (our tie-breaker), USE-CANDIDATE when
 * nominating, MESSAGE-INTEGRITY keyed with the server's password and FINGERPRINT; a response counts only with
 * both checks passing and our transaction id.
 */
final class IceCheck {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Host candidate priority, type preference 126 (RFC 8445 §5.1.2.1), as Chromium's first host candidate. */
    private static final long PRIORITY = 2122260223L;

    private final String username;
    private final byte[] serverPassword;
    private final byte[] tieBreaker = new byte[8];

    IceCheck(String serverUfrag, String ourUfrag, String serverPassword) {
        this.username = serverUfrag + ":" + ourUfrag;
        this.serverPassword = serverPassword.getBytes(StandardCharsets.UTF_8);
        RANDOM.nextBytes(tieBreaker);
    }

    static byte[] newTransactionId() {
        byte[] tid = new byte[12];
        RANDOM.nextBytes(tid);
        return tid;
    }

    byte[] request(byte[] transactionId, boolean nominate) {
        StunBuilder b = new StunBuilder(StunMessage.BINDING_REQUEST, transactionId)
                .string(StunMessage.ATTR_USERNAME, username)
                .u32(StunMessage.ATTR_PRIORITY, PRIORITY)
                .attribute(StunMessage.ATTR_ICE_CONTROLLING, tieBreaker);
        if (nominate) {
            b.attribute(StunMessage.ATTR_USE_CANDIDATE, new byte[0]);
        }
        return b.integrity(serverPassword).fingerprint();
    }

    /** True when {@code datagram} is a success response that passes both checks, whatever its transaction. */
    boolean isAuthenticResponse(byte[] datagram, int len) {
        try {
            StunMessage m = StunMessage.parse(datagram, 0, len);
            return m.type() == StunMessage.BINDING_SUCCESS && m.checkFingerprint() && m.checkIntegrity(serverPassword);
        } catch (StunException e) {
            return false;
        }
    }

    /** True when {@code datagram} is a success response to {@code transactionId} that passes both checks. */
    boolean isValidResponse(byte[] datagram, int len, byte[] transactionId) {
        try {
            StunMessage m = StunMessage.parse(datagram, 0, len);
            return m.type() == StunMessage.BINDING_SUCCESS && Arrays.equals(m.transactionId(), transactionId)
                    && m.checkFingerprint() && m.checkIntegrity(serverPassword);
        } catch (StunException e) {
            return false;
        }
    }
}
