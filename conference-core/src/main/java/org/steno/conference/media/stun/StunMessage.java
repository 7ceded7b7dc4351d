package org.steno.conference.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A parsed STUN message (RFC 5389/8489): a read-only view over the datagram bytes. Parsing checks framing only;
 * {@link #checkIntegrity} and {@link #checkFingerprint} verify the two trailing attributes.
 */
public final class StunMessage {

    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER = 20;

    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    public static final int BINDING_INDICATION = 0x0011;

    public static final int ATTR_MAPPED_ADDRESS = 0x0001;
    public static final int ATTR_USERNAME = 0x0006;
    public static final int ATTR_MESSAGE_INTEGRITY = 0x0008;
    public static final int ATTR_ERROR_CODE = 0x0009;
    public static final int ATTR_XOR_MAPPED_ADDRESS = 0x0020;
    public static final int ATTR_PRIORITY = 0x0024;
    public static final int ATTR_USE_CANDIDATE = 0x0025;
    public static final int ATTR_SOFTWARE = 0x8022;
    public static final int ATTR_FINGERPRINT = 0x8028;
    public static final int ATTR_ICE_CONTROLLED = 0x8029;
    public static final int ATTR_ICE_CONTROLLING = 0x802A;

    static final int FINGERPRINT_XOR = 0x5354554E;

    private final byte[] buf;
    private final int off;
    private final int len;
    private final int type;
    private final int integrityAt; // offset (absolute) of the MESSAGE-INTEGRITY attribute header, or -1
    private final int fingerprintAt; // offset (absolute) of the FINGERPRINT attribute header, or -1

    private StunMessage(byte[] buf, int off, int len, int type, int integrityAt, int fingerprintAt) {
        this.buf = buf;
        this.off = off;
        this.len = len;
        this.type = type;
        this.integrityAt = integrityAt;
        this.fingerprintAt = fingerprintAt;
    }

    /** True if the bytes look like STUN (first two bits zero, magic cookie) — cheap, for the demultiplexer. */
    public static boolean looksLikeStun(byte[] b, int off, int len) {
        return len >= HEADER && (b[off] & 0xC0) == 0 && readInt(b, off + 4) == MAGIC_COOKIE;
    }

    /**
     * Parses a STUN message.
     *
     * @throws StunException when the framing is wrong (lengths, padding, attributes after FINGERPRINT)
     */
    public static StunMessage parse(byte[] b, int off, int len) throws StunException {
        if (len < HEADER) {
            throw new StunException("shorter than a STUN header");
        }
        if ((b[off] & 0xC0) != 0) {
            throw new StunException("first two bits not zero");
        }
        if (readInt(b, off + 4) != MAGIC_COOKIE) {
            throw new StunException("no magic cookie");
        }
        int bodyLen = readShort(b, off + 2);
        if ((bodyLen & 3) != 0 || HEADER + bodyLen != len) {
            throw new StunException("length field " + bodyLen + " does not match datagram of " + len);
        }
        int pos = off + HEADER;
        int end = off + len;
        int integrityAt = -1;
        int fingerprintAt = -1;
        while (pos < end) {
            if (pos + 4 > end) {
                throw new StunException("truncated attribute header");
            }
            if (fingerprintAt >= 0) {
                throw new StunException("attribute after FINGERPRINT");
            }
            int t = readShort(b, pos);
            int l = readShort(b, pos + 2);
            int padded = (l + 3) & ~3;
            if (pos + 4 + padded > end) {
                throw new StunException("attribute 0x" + Integer.toHexString(t) + " overruns the message");
            }
            if (t == ATTR_MESSAGE_INTEGRITY) {
                if (l != 20) {
                    throw new StunException("MESSAGE-INTEGRITY of length " + l);
                }
                integrityAt = pos;
            } else if (t == ATTR_FINGERPRINT) {
                if (l != 4) {
                    throw new StunException("FINGERPRINT of length " + l);
                }
                fingerprintAt = pos;
            } else if (integrityAt >= 0) {
                throw new StunException("attribute after MESSAGE-INTEGRITY");
            }
            pos += 4 + padded;
        }
        return new StunMessage(b, off, len, readShort(b, off), integrityAt, fingerprintAt);
    }

    public int type() {
        return type;
    }

    /** The 12-byte transaction id (a copy). */
    public byte[] transactionId() {
        byte[] t = new byte[12];
        System.arraycopy(buf, off + 8, t, 0, 12);
        return t;
    }

    /** Offset of the value of the first attribute of this type, or -1. */
    public int find(int attrType) {
        int pos = off + HEADER;
        int end = off + len;
        while (pos + 4 <= end) {
            int t = readShort(buf, pos);
            int l = readShort(buf, pos + 2);
            if (t == attrType) {
                return pos + 4;
            }
            pos += 4 + ((l + 3) & ~3);
        }
        return -1;
    }

    /** Length of the attribute whose value starts at {@code valueOffset} (from {@link #find}). */
    public int lengthAt(int valueOffset) {
        return readShort(buf, valueOffset - 2);
    }

    public boolean has(int attrType) {
        return find(attrType) >= 0;
    }

    public String username() {
        return string(ATTR_USERNAME);
    }

    public String string(int attrType) {
        int at = find(attrType);
        return at < 0 ? null : new String(buf, at, lengthAt(at), StandardCharsets.UTF_8);
    }

    /** Big-endian 32-bit attribute value (PRIORITY), or -1 if absent or of the wrong size. */
    public long u32(int attrType) {
        int at = find(attrType);
        return at < 0 || lengthAt(at) != 4 ? -1 : readInt(buf, at) & 0xFFFFFFFFL;
    }

    /** XOR-MAPPED-ADDRESS decoded, or null. */
    public InetSocketAddress xorMappedAddress() {
        int at = find(ATTR_XOR_MAPPED_ADDRESS);
        if (at < 0) {
            return null;
        }
        int l = lengthAt(at);
        int family = buf[at + 1] & 0xFF;
        int port = readShort(buf, at + 2) ^ (MAGIC_COOKIE >>> 16);
        byte[] ip;
        if (family == 1 && l == 8) {
            ip = new byte[4];
        } else if (family == 2 && l == 20) {
            ip = new byte[16];
        } else {
            return null;
        }
        for (int i = 0; i < ip.length; i++) {
            byte mask = i < 4 ? (byte) (MAGIC_COOKIE >>> (24 - 8 * i)) : buf[off + 8 + i - 4];
            ip[i] = (byte) (buf[at + 4 + i] ^ mask);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public boolean hasIntegrity() {
        return integrityAt >= 0;
    }

    public boolean hasFingerprint() {
        return fingerprintAt >= 0;
    }

    /**
     * Verifies MESSAGE-INTEGRITY (HMAC-SHA1 over the message up to the attribute, with the length field covering
     * it, RFC 5389 §15.4) with a short-term credential key (the ICE password).
     */
    public boolean checkIntegrity(byte[] key) {
        if (integrityAt < 0) {
            return false;
        }
        byte[] copy = new byte[integrityAt - off];
        System.arraycopy(buf, off, copy, 0, copy.length);
        int lengthCovered = integrityAt - off - HEADER + 24;
        copy[2] = (byte) (lengthCovered >>> 8);
        copy[3] = (byte) lengthCovered;
        byte[] mac = hmacSha1(key, copy, 0, copy.length);
        byte[] got = new byte[20];
        System.arraycopy(buf, integrityAt + 4, got, 0, 20);
        return MessageDigest.isEqual(mac, got);
    }

    /** Verifies FINGERPRINT (CRC-32 of the message up to the attribute, XOR 0x5354554e). */
    public boolean checkFingerprint() {
        if (fingerprintAt < 0) {
            return false;
        }
        // The length field already covers FINGERPRINT, which is the last attribute.
        return readInt(buf, fingerprintAt + 4) == fingerprint(buf, off, fingerprintAt - off);
    }

    static int fingerprint(byte[] b, int off, int len) {
        CRC32 crc = new CRC32();
        crc.update(b, off, len);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            mac.update(data, off, len);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from the JDK", e);
        }
    }

    static int readShort(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
