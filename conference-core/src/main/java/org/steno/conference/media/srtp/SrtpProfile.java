package org.steno.conference.media.srtp;

/** The DTLS-SRTP protection profiles we speak (RFC 5764 §4.1.2, RFC 7714 §14.2). */
public enum SrtpProfile {
    /** AES-128 counter mode, HMAC-SHA1 80-bit tag (RFC 3711). */
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14, 10),
    /** AES-128 GCM, 16-byte tag (RFC 7714). */
    AEAD_AES_128_GCM(0x0007, 16, 12, 16);

    private final int id;
    private final int keyLength;
    private final int saltLength;
    private final int tagLength;

    SrtpProfile(int id, int keyLength, int saltLength, int tagLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
        this.tagLength = tagLength;
    }

    /** The use_srtp protection profile id. */
    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** Bytes the protection adds to an RTP packet. */
    public int tagLength() {
        return tagLength;
    }

    public boolean isAead() {
        return this == AEAD_AES_128_GCM;
    }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
