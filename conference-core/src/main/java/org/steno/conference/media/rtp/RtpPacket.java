package org.steno.conference.media.rtp;

/**
 * A parsed RTP header (RFC 3550) over a byte array: fields are read at parse time, the payload stays in place.
 * Header extensions in the one-byte (0xBEDE) and two-byte (0x100x) forms of RFC 8285 are located by id.
 */
public final class RtpPacket {

    private final byte[] buf;
    private final int off;
    private final int len;
    private final int headerLength;
    private final int payloadLength;
    private final int extProfile;
    private final int extAt; // offset of the first extension element, or -1
    private final int extLen; // bytes of extension elements

    private RtpPacket(byte[] buf, int off, int len, int headerLength, int payloadLength, int extProfile, int extAt,
                      int extLen) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.headerLength = headerLength;
        this.payloadLength = payloadLength;
        this.extProfile = extProfile;
        this.extAt = extAt;
        this.extLen = extLen;
    }

    /** Parses an RTP packet, or returns null when it is malformed (version, lengths, padding). */
    public static RtpPacket parse(byte[] b, int off, int len) {
        if (len < 12 || (b[off] & 0xC0) != 0x80) {
            return null;
        }
        int hdr = 12 + 4 * (b[off] & 0x0F);
        int extProfile = 0;
        int extAt = -1;
        int extLen = 0;
        if (hdr > len) {
            return null;
        }
        if ((b[off] & 0x10) != 0) {
            if (hdr + 4 > len) {
                return null;
            }
            extProfile = u16(b, off + hdr);
            extLen = 4 * u16(b, off + hdr + 2);
            extAt = off + hdr + 4;
            hdr += 4 + extLen;
            if (hdr > len) {
                return null;
            }
        }
        int padding = 0;
        if ((b[off] & 0x20) != 0) {
            padding = b[off + len - 1] & 0xFF;
            if (padding == 0 || hdr + padding > len) {
                return null;
            }
        }
        return new RtpPacket(b, off, len, hdr, len - hdr - padding, extProfile, extAt, extLen);
    }

    public byte[] buffer() {
        return buf;
    }

    public int offset() {
        return off;
    }

    public int length() {
        return len;
    }

    public boolean marker() {
        return (buf[off + 1] & 0x80) != 0;
    }

    public int payloadType() {
        return buf[off + 1] & 0x7F;
    }

    public int sequenceNumber() {
        return u16(buf, off + 2);
    }

    public long timestamp() {
        return u32(buf, off + 4);
    }

    public long ssrc() {
        return u32(buf, off + 8);
    }

    public int headerLength() {
        return headerLength;
    }

    public int payloadOffset() {
        return off + headerLength;
    }

    /** Payload bytes without padding. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Copy of the payload (no padding). */
    public byte[] payload() {
        byte[] p = new byte[payloadLength];
        System.arraycopy(buf, off + headerLength, p, 0, payloadLength);
        return p;
    }

    /**
     * Offset of the value of the header extension element {@code id} (RFC 8285), or -1 if absent. Its length is
     * {@link #extensionLength(int)} of the same id.
     */
    public int findExtension(int id) {
        long r = scanExtension(id);
        return r < 0 ? -1 : (int) (r >>> 16);
    }

    /** Length of extension element {@code id}, or -1. */
    public int extensionLength(int id) {
        long r = scanExtension(id);
        return r < 0 ? -1 : (int) (r & 0xFFFF);
    }

    /** Returns (valueOffset << 16 | length) or -1. */
    private long scanExtension(int id) {
        if (extAt < 0 || id <= 0) {
            return -1;
        }
        int end = extAt + extLen;
        int p = extAt;
        if (extProfile == 0xBEDE) {
            while (p < end) {
                int b0 = buf[p] & 0xFF;
                if (b0 == 0) { // padding
                    p++;
                    continue;
                }
                int eid = b0 >>> 4;
                int elen = (b0 & 0x0F) + 1;
                if (eid == 15) {
                    return -1; // reserved: stop processing (RFC 8285 §4.2)
                }
                if (p + 1 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    return ((long) (p + 1) << 16) | elen;
                }
                p += 1 + elen;
            }
        } else if ((extProfile & 0xFFF0) == 0x1000) {
            while (p + 1 < end) {
                int eid = buf[p] & 0xFF;
                if (eid == 0) {
                    p++;
                    continue;
                }
                int elen = buf[p + 1] & 0xFF;
                if (p + 2 + elen > end) {
                    return -1;
                }
                if (eid == id) {
                    return ((long) (p + 2) << 16) | elen;
                }
                p += 2 + elen;
            }
        }
        return -1;
    }

    /** The mid header extension value, or null. */
    public String stringExtension(int id) {
        int at = findExtension(id);
        return at < 0 ? null : new String(buf, at, extensionLength(id), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * RFC 6464 audio level of extension {@code id}: 0 (loudest) .. 127 (silence) -dBov, or -1 if absent.
     */
    public int audioLevel(int id) {
        int at = findExtension(id);
        return at < 0 ? -1 : buf[at] & 0x7F;
    }

    /** RFC 6464 voice activity flag of extension {@code id}. */
    public boolean voiceActivity(int id) {
        int at = findExtension(id);
        return at >= 0 && (buf[at] & 0x80) != 0;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }
}
