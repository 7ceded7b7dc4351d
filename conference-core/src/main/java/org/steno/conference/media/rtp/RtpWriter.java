package org.steno.conference.media.rtp;

import java.nio.charset.StandardCharsets;

/**
 * Writes an RTP packet: a 12-byte header without CSRCs, optional one-byte header extensions (RFC 8285 §4.2) and a
 * payload. Used by down-tracks, which rebuild every packet with the subscriber's SSRC, sequence, timestamp and
 * extension ids.
 */
public final class RtpWriter {

    private RtpWriter() {
    }

    /** One one-byte-form element: id 1..14, value 1..16 bytes. */
    public record Extension(int id, byte[] value) {
        public Extension {
            if (id < 1 || id > 14 || value.length < 1 || value.length > 16) {
                throw new IllegalArgumentException("one-byte extension needs id 1..14 and 1..16 bytes");
            }
        }

        public static Extension mid(int id, String mid) {
            return new Extension(id, mid.getBytes(StandardCharsets.US_ASCII));
        }

        public static Extension audioLevel(int id, boolean voice, int level) {
            return new Extension(id, new byte[] {(byte) ((voice ? 0x80 : 0) | (level & 0x7F))});
        }
    }

    public static byte[] write(int payloadType, boolean marker, int seq, long timestamp, long ssrc,
                               Extension[] extensions, byte[] payload, int payloadOff, int payloadLen) {
        int extBytes = 0;
        if (extensions != null && extensions.length > 0) {
            for (Extension e : extensions) {
                extBytes += 1 + e.value().length;
            }
            extBytes = (extBytes + 3) & ~3;
        }
        int hdr = 12 + (extBytes > 0 ? 4 + extBytes : 0);
        byte[] out = new byte[hdr + payloadLen];
        out[0] = (byte) (0x80 | (extBytes > 0 ? 0x10 : 0));
        out[1] = (byte) ((marker ? 0x80 : 0) | (payloadType & 0x7F));
        out[2] = (byte) (seq >>> 8);
        out[3] = (byte) seq;
        putInt(out, 4, timestamp);
        putInt(out, 8, ssrc);
        if (extBytes > 0) {
            out[12] = (byte) 0xBE;
            out[13] = (byte) 0xDE;
            out[14] = (byte) ((extBytes / 4) >>> 8);
            out[15] = (byte) (extBytes / 4);
            int p = 16;
            for (Extension e : extensions) {
                out[p++] = (byte) ((e.id() << 4) | (e.value().length - 1));
                System.arraycopy(e.value(), 0, out, p, e.value().length);
                p += e.value().length;
            }
        }
        System.arraycopy(payload, payloadOff, out, hdr, payloadLen);
        return out;
    }

    static void putInt(byte[] b, int at, long v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
