package org.steno.simulator.media;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a VP8 frame into RTP payloads (RFC 7741 §4.2): a one-byte payload descriptor on each — S set on the
 * first packet of the frame (partition 0 starts there), no optional fields — and at most {@link #MAX_PAYLOAD}
 * bytes of frame per packet, so a packet stays under a typical MTU with SRTP and header extensions.
 */
final class Vp8Packetizer {

    static final int MAX_PAYLOAD = 1100;

    private Vp8Packetizer() {
    }

    static List<byte[]> payloads(byte[] frame) {
        List<byte[]> out = new ArrayList<>((frame.length + MAX_PAYLOAD - 1) / MAX_PAYLOAD);
        for (int off = 0; off < frame.length; off += MAX_PAYLOAD) {
            int n = Math.min(MAX_PAYLOAD, frame.length - off);
            byte[] p = new byte[1 + n];
            p[0] = (byte) (off == 0 ? 0x10 : 0x00);
            System.arraycopy(frame, off, p, 1, n);
            out.add(p);
        }
        return out;
    }
}
