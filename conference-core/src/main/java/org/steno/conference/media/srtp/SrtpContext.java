package org.steno.conference.media.srtp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP for one direction of one DTLS association (RFC 3711, RFC 7714), with plain JCE.
 *
 * <p>Per-SSRC state (rollover counter, replay window, SRTCP index) lives in a small map. Failures are return
 * values ({@link #AUTH_FAILED}, {@link #REPLAYED}, {@link #MALFORMED}), never exceptions: a bad packet is dropped
 * and counted by the caller. Methods are synchronized: an outbound context is shared by every publisher that
 * forwards to the subscriber.
 */
public final class SrtpContext {

    public static final int MALFORMED = -1;
    public static final int AUTH_FAILED = -2;
    public static final int REPLAYED = -3;

    private static final int REPLAY_WINDOW = 128;
    private static final int RTCP_TRAILER = 4;

    private final SrtpProfile profile;
    private final SecretKeySpec rtpKey;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtpSalt;
    private final byte[] rtcpSalt;
    private final Mac rtpMac;
    private final Mac rtcpMac;
    private Cipher cipher;
    private final Map<Long, StreamState> rtpStreams = new HashMap<>();
    private final Map<Long, StreamState> rtcpStreams = new HashMap<>();

    public SrtpContext(SrtpProfile profile, byte[] masterKey, byte[] masterSalt) {
        if (masterKey.length != profile.keyLength() || masterSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("master key/salt of " + masterKey.length + "/" + masterSalt.length
                    + " bytes do not fit " + profile);
        }
        this.profile = profile;
        int saltLen = profile.saltLength();
        rtpKey = new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTP_ENCRYPTION, profile.keyLength()), "AES");
        rtcpKey = new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                SrtpKeyDerivation.LABEL_RTCP_ENCRYPTION, profile.keyLength()), "AES");
        rtpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTP_SALT, saltLen);
        rtcpSalt = SrtpKeyDerivation.derive(masterKey, masterSalt, SrtpKeyDerivation.LABEL_RTCP_SALT, saltLen);
        try {
            cipher = Cipher.getInstance(profile.isAead() ? "AES/GCM/NoPadding" : "AES/CTR/NoPadding");
            if (profile.isAead()) {
                rtpMac = null;
                rtcpMac = null;
            } else {
                rtpMac = Mac.getInstance("HmacSHA1");
                rtpMac.init(new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                        SrtpKeyDerivation.LABEL_RTP_AUTH, 20), "HmacSHA1"));
                rtcpMac = Mac.getInstance("HmacSHA1");
                rtcpMac.init(new SecretKeySpec(SrtpKeyDerivation.derive(masterKey, masterSalt,
                        SrtpKeyDerivation.LABEL_RTCP_AUTH, 20), "HmacSHA1"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCE lacks AES or HmacSHA1", e);
        }
    }

    /** Test hook: a context from session keys directly (RFC 7714 §16 gives session keys, not master keys). */
    static SrtpContext forSessionKeys(SrtpProfile profile, byte[] key, byte[] salt) {
        return new SrtpContext(profile, key, salt, true);
    }

    private SrtpContext(SrtpProfile profile, byte[] key, byte[] salt, boolean sessionKeys) {
        this.profile = profile;
        rtpKey = new SecretKeySpec(key, "AES");
        rtcpKey = rtpKey;
        rtpSalt = salt.clone();
        rtcpSalt = salt.clone();
        rtpMac = null;
        rtcpMac = null;
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SrtpProfile profile() {
        return profile;
    }

    // ------------------------------------------------------------------ RTP

    /** Encrypts an RTP packet; returns a new array (packet + tag) or null if it is not RTP. */
    public synchronized byte[] protectRtp(byte[] pkt, int off, int len) {
        int hdr = rtpHeaderLength(pkt, off, len);
        if (hdr < 0) {
            return null;
        }
        long ssrc = u32(pkt, off + 8);
        int seq = u16(pkt, off + 2);
        StreamState st = rtpStreams.computeIfAbsent(ssrc, k -> new StreamState());
        long index = st.estimateIndex(seq);
        st.acceptIndexNoReplay(index);
        byte[] out = new byte[len + profile.tagLength()];
        System.arraycopy(pkt, off, out, 0, len);
        try {
            if (profile.isAead()) {
                byte[] iv = gcmRtpIv(ssrc, index);
                initGcm(Cipher.ENCRYPT_MODE, rtpKey, iv);
                cipher.updateAAD(out, 0, hdr);
                cipher.doFinal(pkt, off + hdr, len - hdr, out, hdr);
            } else {
                cipher.init(Cipher.ENCRYPT_MODE, rtpKey, new IvParameterSpec(cmIv(rtpSalt, ssrc, index)));
                cipher.doFinal(pkt, off + hdr, len - hdr, out, hdr);
                rtpMac.update(out, 0, len);
                rtpMac.update(roc(index));
                byte[] tag = rtpMac.doFinal();
                System.arraycopy(tag, 0, out, len, profile.tagLength());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SRTP encryption failed", e);
        }
        return out;
    }

    /**
     * Authenticates and decrypts an SRTP packet in place.
     *
     * @return the plaintext RTP length (the tag removed), or {@link #MALFORMED}, {@link #AUTH_FAILED},
     *         {@link #REPLAYED}
     */
    public synchronized int unprotectRtp(byte[] pkt, int off, int len) {
        int tagLen = profile.tagLength();
        int hdr = rtpHeaderLength(pkt, off, len - tagLen);
        if (hdr < 0) {
            return MALFORMED;
        }
        long ssrc = u32(pkt, off + 8);
        int seq = u16(pkt, off + 2);
        StreamState st = rtpStreams.get(ssrc);
        StreamState probe = st != null ? st : new StreamState();
        long index = probe.estimateIndex(seq);
        if (probe.isReplay(index)) {
            return REPLAYED;
        }
        int plainLen = len - tagLen;
        try {
            if (profile.isAead()) {
                initGcm(Cipher.DECRYPT_MODE, rtpKey, gcmRtpIv(ssrc, index));
                cipher.updateAAD(pkt, off, hdr);
                byte[] plain = cipher.doFinal(pkt, off + hdr, len - hdr);
                System.arraycopy(plain, 0, pkt, off + hdr, plain.length);
            } else {
                rtpMac.update(pkt, off, plainLen);
                rtpMac.update(roc(index));
                byte[] tag = rtpMac.doFinal();
                if (!constantTimeEquals(tag, pkt, off + plainLen, tagLen)) {
                    return AUTH_FAILED;
                }
                cipher.init(Cipher.DECRYPT_MODE, rtpKey, new IvParameterSpec(cmIv(rtpSalt, ssrc, index)));
                cipher.doFinal(pkt, off + hdr, plainLen - hdr, pkt, off + hdr);
            }
        } catch (javax.crypto.AEADBadTagException e) {
            return AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            return MALFORMED;
        }
        if (st == null) {
            rtpStreams.put(ssrc, probe);
        }
        probe.accept(index);
        return plainLen;
    }

    // ----------------------------------------------------------------- RTCP

    /** Encrypts an RTCP (compound) packet; returns a new array. Index counts per sending SSRC. */
    public synchronized byte[] protectRtcp(byte[] pkt, int off, int len) {
        if (len < 8) {
            return null;
        }
        long ssrc = u32(pkt, off + 4);
        StreamState st = rtcpStreams.computeIfAbsent(ssrc, k -> new StreamState());
        long index = st.nextRtcpIndex();
        int tagLen = profile.tagLength();
        byte[] out = new byte[len + tagLen + RTCP_TRAILER];
        System.arraycopy(pkt, off, out, 0, 8);
        int eIndex = (int) (0x80000000L | index);
        try {
            if (profile.isAead()) {
                initGcm(Cipher.ENCRYPT_MODE, rtcpKey, gcmRtcpIv(ssrc, index));
                cipher.updateAAD(pkt, off, 8);
                cipher.updateAAD(int32(eIndex));
                int n = cipher.doFinal(pkt, off + 8, len - 8, out, 8);
                writeInt(out, 8 + n, eIndex);
            } else {
                cipher.init(Cipher.ENCRYPT_MODE, rtcpKey, new IvParameterSpec(cmIv(rtcpSalt, ssrc, index)));
                cipher.doFinal(pkt, off + 8, len - 8, out, 8);
                writeInt(out, len, eIndex);
                rtcpMac.update(out, 0, len + RTCP_TRAILER);
                byte[] tag = rtcpMac.doFinal();
                System.arraycopy(tag, 0, out, len + RTCP_TRAILER, tagLen);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SRTCP encryption failed", e);
        }
        return out;
    }

    /**
     * Authenticates and decrypts an SRTCP packet in place.
     *
     * @return the plaintext RTCP length, or a negative error code
     */
    public synchronized int unprotectRtcp(byte[] pkt, int off, int len) {
        int tagLen = profile.tagLength();
        if (len < 8 + tagLen + RTCP_TRAILER) {
            return MALFORMED;
        }
        long ssrc = u32(pkt, off + 4);
        int trailerAt = profile.isAead() ? off + len - RTCP_TRAILER : off + len - tagLen - RTCP_TRAILER;
        int eIndex = (int) u32(pkt, trailerAt);
        boolean encrypted = eIndex < 0;
        long index = eIndex & 0x7FFFFFFFL;
        StreamState st = rtcpStreams.get(ssrc);
        StreamState probe = st != null ? st : new StreamState();
        if (probe.isReplay(index)) {
            return REPLAYED;
        }
        int plainLen;
        try {
            if (profile.isAead()) {
                int bodyLen = len - 8 - RTCP_TRAILER; // ciphertext + tag
                initGcm(Cipher.DECRYPT_MODE, rtcpKey, gcmRtcpIv(ssrc, index));
                if (encrypted) {
                    cipher.updateAAD(pkt, off, 8);
                    cipher.updateAAD(pkt, trailerAt, 4);
                    byte[] plain = cipher.doFinal(pkt, off + 8, bodyLen);
                    System.arraycopy(plain, 0, pkt, off + 8, plain.length);
                    plainLen = 8 + plain.length;
                } else {
                    // Unencrypted SRTCP: the whole packet is AAD, only the tag is "ciphertext".
                    cipher.updateAAD(pkt, off, len - RTCP_TRAILER - tagLen);
                    cipher.updateAAD(pkt, trailerAt, 4);
                    cipher.doFinal(pkt, off + len - RTCP_TRAILER - tagLen, tagLen);
                    plainLen = len - RTCP_TRAILER - tagLen;
                }
            } else {
                rtcpMac.update(pkt, off, len - tagLen);
                byte[] tag = rtcpMac.doFinal();
                if (!constantTimeEquals(tag, pkt, off + len - tagLen, tagLen)) {
                    return AUTH_FAILED;
                }
                plainLen = len - tagLen - RTCP_TRAILER;
                if (encrypted) {
                    cipher.init(Cipher.DECRYPT_MODE, rtcpKey, new IvParameterSpec(cmIv(rtcpSalt, ssrc, index)));
                    cipher.doFinal(pkt, off + 8, plainLen - 8, pkt, off + 8);
                }
            }
        } catch (javax.crypto.AEADBadTagException e) {
            return AUTH_FAILED;
        } catch (GeneralSecurityException e) {
            return MALFORMED;
        }
        if (st == null) {
            rtcpStreams.put(ssrc, probe);
        }
        probe.accept(index);
        return plainLen;
    }

    // -------------------------------------------------------------- helpers

    private void initGcm(int mode, SecretKeySpec key, byte[] iv) throws GeneralSecurityException {
        try {
            cipher.init(mode, key, new GCMParameterSpec(128, iv));
        } catch (java.security.InvalidAlgorithmParameterException e) {
            // The JDK refuses to encrypt twice in a row with one key+IV (a retransmitted packet): a fresh Cipher
            // has no memory of the last IV, and the identical ciphertext it yields leaks nothing new.
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, iv));
        }
    }

    /** RFC 3711 §4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
    static byte[] cmIv(byte[] salt, long ssrc, long index) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        for (int i = 0; i < 6; i++) {
            iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
        }
        return iv;
    }

    /** RFC 7714 §8.1: IV = (00 00 || SSRC || ROC || SEQ) XOR salt. */
    byte[] gcmRtpIv(long ssrc, long index) {
        byte[] iv = new byte[12];
        writeInt(iv, 2, (int) ssrc);
        writeInt(iv, 6, (int) (index >>> 16));
        iv[10] = (byte) (index >>> 8);
        iv[11] = (byte) index;
        for (int i = 0; i < 12; i++) {
            iv[i] ^= rtpSalt[i];
        }
        return iv;
    }

    /** RFC 7714 §9.1: IV = (00 00 || SSRC || 00 00 || 0 || SRTCP index) XOR salt. */
    private byte[] gcmRtcpIv(long ssrc, long index) {
        byte[] iv = new byte[12];
        writeInt(iv, 2, (int) ssrc);
        writeInt(iv, 8, (int) index);
        for (int i = 0; i < 12; i++) {
            iv[i] ^= rtcpSalt[i];
        }
        return iv;
    }

    /** Length of the RTP header incl. CSRCs and extension, or -1 if the packet is too short or not version 2. */
    static int rtpHeaderLength(byte[] b, int off, int len) {
        if (len < 12 || (b[off] & 0xC0) != 0x80) {
            return -1;
        }
        int hdr = 12 + 4 * (b[off] & 0x0F);
        if ((b[off] & 0x10) != 0) {
            if (len < hdr + 4) {
                return -1;
            }
            hdr += 4 + 4 * u16(b, off + hdr + 2);
        }
        return hdr <= len ? hdr : -1;
    }

    private static byte[] roc(long index) {
        return int32((int) (index >>> 16));
    }

    private static boolean constantTimeEquals(byte[] tag, byte[] b, int at, int n) {
        byte[] got = new byte[n];
        System.arraycopy(b, at, got, 0, n);
        byte[] want = new byte[n];
        System.arraycopy(tag, 0, want, 0, n);
        return MessageDigest.isEqual(want, got);
    }

    private static byte[] int32(int v) {
        byte[] b = new byte[4];
        writeInt(b, 0, v);
        return b;
    }

    static void writeInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    static long u32(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8)
                | (b[at + 3] & 0xFF);
    }

    /**
     * Rollover counter and replay window of one SSRC (RFC 3711 §3.3.1, Appendix A). For SRTCP the "index" is the
     * 31-bit SRTCP index and the same window applies.
     */
    static final class StreamState {
        private long highest = -1; // highest authenticated index (ROC << 16 | SEQ), -1 before the first
        private final long[] window = new long[REPLAY_WINDOW / 64]; // bit i of the window: highest - i seen
        private long nextRtcp;

        /** RFC 3711 Appendix A: the index the sender most likely used for {@code seq}. */
        long estimateIndex(int seq) {
            if (highest < 0) {
                return seq;
            }
            long roc = highest >>> 16;
            int sl = (int) (highest & 0xFFFF);
            long v;
            if (sl < 32768) {
                v = (seq - sl > 32768 && roc > 0) ? roc - 1 : roc;
            } else {
                v = (sl - 32768 > seq) ? roc + 1 : roc;
            }
            return (v << 16) | seq;
        }

        boolean isReplay(long index) {
            if (highest < 0 || index > highest) {
                return false;
            }
            long age = highest - index;
            if (age >= REPLAY_WINDOW) {
                return true;
            }
            return (window[(int) (age >>> 6)] & (1L << (age & 63))) != 0;
        }

        void accept(long index) {
            if (highest < 0) {
                highest = index;
                window[0] = 1;
                return;
            }
            if (index > highest) {
                shift(index - highest);
                highest = index;
                window[0] |= 1;
            } else {
                long age = highest - index;
                window[(int) (age >>> 6)] |= 1L << (age & 63);
            }
        }

        /** Sender side: track the highest index so the ROC advances at the wrap; no replay refusal. */
        void acceptIndexNoReplay(long index) {
            if (index > highest) {
                highest = index;
            }
        }

        long nextRtcpIndex() {
            long i = nextRtcp;
            nextRtcp = (nextRtcp + 1) & 0x7FFFFFFFL;
            return i;
        }

        private void shift(long by) {
            if (by >= REPLAY_WINDOW) {
                java.util.Arrays.fill(window, 0);
                return;
            }
            int words = (int) (by >>> 6);
            int bits = (int) (by & 63);
            for (int i = window.length - 1; i >= 0; i--) {
                long v = i - words >= 0 ? window[i - words] << bits : 0;
                if (bits != 0 && i - words - 1 >= 0) {
                    v |= window[i - words - 1] >>> (64 - bits);
                }
                window[i] = v;
            }
        }
    }
}
