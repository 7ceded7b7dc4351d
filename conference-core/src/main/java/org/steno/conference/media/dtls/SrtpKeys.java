package org.steno.conference.media.dtls;

import java.util.Arrays;
import org.steno.conference.media.srtp.SrtpContext;
import org.steno.conference.media.srtp.SrtpProfile;

/**
 * Keying material exported by DTLS-SRTP (RFC 5764 §4.2): client key | server key | client salt | server salt.
 * The browser is the DTLS client: we decrypt with the client half and encrypt with the server half.
 */
public record SrtpKeys(SrtpProfile profile, byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {

    public static SrtpKeys split(SrtpProfile p, byte[] material) {
        int k = p.keyLength();
        int s = p.saltLength();
        if (material.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying material of " + material.length + " bytes for " + p);
        }
        return new SrtpKeys(p, Arrays.copyOfRange(material, 0, k), Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + s), Arrays.copyOfRange(material, 2 * k + s, 2 * (k + s)));
    }

    /** Context that decrypts what the browser sends. */
    public SrtpContext inbound() {
        return new SrtpContext(profile, clientKey, clientSalt);
    }

    /** Context that encrypts what we send to the browser. */
    public SrtpContext outbound() {
        return new SrtpContext(profile, serverKey, serverSalt);
    }
}
