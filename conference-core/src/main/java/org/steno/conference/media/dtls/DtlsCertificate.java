package org.steno.conference.media.dtls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** The server's self-signed ECDSA P-256 certificate; browsers check only its SHA-256 fingerprint from the SDP. */
public final class DtlsCertificate {

    private final PrivateKey privateKey;
    private final byte[] der;
    private final String fingerprint;

    private DtlsCertificate(PrivateKey privateKey, byte[] der) {
        this.privateKey = privateKey;
        this.der = der;
        this.fingerprint = sha256Fingerprint(der);
    }

    public static DtlsCertificate generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            long now = System.currentTimeMillis();
            X500Name name = new X500Name("CN=steno-sfu");
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), new Date(now - 86_400_000L),
                    new Date(now + 30L * 86_400_000L), name, kp.getPublic());
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            return new DtlsCertificate(kp.getPrivate(), holder.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot create the DTLS certificate", e);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public byte[] der() {
        return der.clone();
    }

    /** "AB:CD:…" (32 upper-case hex pairs), as in {@code a=fingerprint:sha-256}. */
    public String fingerprint() {
        return fingerprint;
    }

    public static String sha256Fingerprint(byte[] der) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(der);
            StringBuilder s = new StringBuilder(95);
            for (int i = 0; i < h.length; i++) {
                if (i > 0) {
                    s.append(':');
                }
                s.append(Character.toUpperCase(Character.forDigit((h[i] >>> 4) & 0xF, 16)));
                s.append(Character.toUpperCase(Character.forDigit(h[i] & 0xF, 16)));
            }
            return s.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
