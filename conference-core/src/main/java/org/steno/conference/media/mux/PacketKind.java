package org.steno.conference.media.mux;

/** What a datagram on the shared port is, by its first byte (RFC 7983 §7). */
public enum PacketKind {
    STUN, DTLS, RTP, RTCP, UNKNOWN;

    public static PacketKind of(byte[] b, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = b[off] & 0xFF;
        if (first <= 3) {
            return STUN;
        }
        if (first >= 20 && first <= 63) {
            return DTLS;
        }
        if (first >= 128 && first <= 191) {
            if (len >= 2) {
                int pt = b[off + 1] & 0xFF;
                if (pt >= 192 && pt <= 223) {
                    return RTCP; // RFC 5761 §4: RTCP packet types in the second byte
                }
            }
            return RTP;
        }
        return UNKNOWN;
    }
}
