package org.steno.conference.media.stun;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Builds a STUN message attribute by attribute, then seals it with MESSAGE-INTEGRITY and FINGERPRINT. */
public final class StunBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    private byte padByte = 0;

    public StunBuilder(int type, byte[] transactionId) {
        if (transactionId.length != 12) {
            throw new IllegalArgumentException("transaction id must be 12 bytes");
        }
        writeShort(type);
        writeShort(0);
        writeInt(StunMessage.MAGIC_COOKIE);
        out.write(transactionId, 0, 12);
    }

    /** Padding byte value (RFC 5769's vectors pad with spaces; zero otherwise). */
    public StunBuilder padWith(byte b) {
        this.padByte = b;
        return this;
    }

    public StunBuilder attribute(int type, byte[] value) {
        writeShort(type);
        writeShort(value.length);
        out.write(value, 0, value.length);
        for (int i = value.length; (i & 3) != 0; i++) {
            out.write(padByte);
        }
        return this;
    }

    public StunBuilder string(int type, String value) {
        return attribute(type, value.getBytes(StandardCharsets.UTF_8));
    }

    public StunBuilder u32(int type, long value) {
        return attribute(type, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public StunBuilder xorMappedAddress(InetSocketAddress address, byte[] transactionId) {
        byte[] ip = address.getAddress().getAddress();
        byte[] v = new byte[4 + ip.length];
        v[1] = (byte) (ip.length == 4 ? 1 : 2);
        int port = address.getPort() ^ (StunMessage.MAGIC_COOKIE >>> 16);
        v[2] = (byte) (port >>> 8);
        v[3] = (byte) port;
        for (int i = 0; i < ip.length; i++) {
            byte mask = i < 4 ? (byte) (StunMessage.MAGIC_COOKIE >>> (24 - 8 * i)) : transactionId[i - 4];
            v[4 + i] = (byte) (ip[i] ^ mask);
        }
        return attribute(StunMessage.ATTR_XOR_MAPPED_ADDRESS, v);
    }

    /** Appends MESSAGE-INTEGRITY keyed with {@code key}; call before {@link #fingerprint()}. */
    public StunBuilder integrity(byte[] key) {
        byte[] soFar = out.toByteArray();
        setLength(soFar, soFar.length - StunMessage.HEADER + 24);
        byte[] mac = StunMessage.hmacSha1(key, soFar, 0, soFar.length);
        return attribute(StunMessage.ATTR_MESSAGE_INTEGRITY, mac);
    }

    /** Appends FINGERPRINT and returns the finished message. */
    public byte[] fingerprint() {
        byte[] soFar = out.toByteArray();
        setLength(soFar, soFar.length - StunMessage.HEADER + 8);
        int crc = StunMessage.fingerprint(soFar, 0, soFar.length);
        byte[] done = new byte[soFar.length + 8];
        System.arraycopy(soFar, 0, done, 0, soFar.length);
        int p = soFar.length;
        done[p] = (byte) 0x80;
        done[p + 1] = 0x28;
        done[p + 3] = 4;
        done[p + 4] = (byte) (crc >>> 24);
        done[p + 5] = (byte) (crc >>> 16);
        done[p + 6] = (byte) (crc >>> 8);
        done[p + 7] = (byte) crc;
        return done;
    }

    /** The finished message without FINGERPRINT. */
    public byte[] build() {
        byte[] soFar = out.toByteArray();
        setLength(soFar, soFar.length - StunMessage.HEADER);
        return soFar;
    }

    private static void setLength(byte[] msg, int len) {
        msg[2] = (byte) (len >>> 8);
        msg[3] = (byte) len;
    }

    private void writeShort(int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private void writeInt(int v) {
        writeShort(v >>> 16);
        writeShort(v);
    }
}
