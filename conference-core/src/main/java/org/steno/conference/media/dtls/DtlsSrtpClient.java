package org.steno.conference.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.steno.conference.media.srtp.SrtpProfile;

/**
 * The DTLS 1.2 client side of DTLS-SRTP, as a browser plays it against our ICE-lite server: our ECDSA certificate
 * (its fingerprint is in the offer), the server's certificate checked against the answer's fingerprint, use_srtp
 * offering the profiles Chromium offers that our SRTP implements, and the keys exported when the handshake
 * completes (BouncyCastle allows it only then). Used by the load client ({@code simulator}) and the tests' browser
 * stand-in; the server's side is {@link DtlsSrtpServer}.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {

    private final JcaTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final String serverFingerprint;
    private final Consumer<SrtpKeys> onKeys;
    private SrtpProfile profile;

    /** @param onKeys called once with the keys when the handshake completes */
    public DtlsSrtpClient(JcaTlsCrypto crypto, DtlsCertificate certificate, String serverFingerprint, Consumer<SrtpKeys> onKeys) {
        super(crypto);
        this.crypto = crypto;
        this.certificate = certificate;
        this.serverFingerprint = serverFingerprint;
        this.onKeys = onKeys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    /**
     * BouncyCastle's default is no limit: a handshake the server has given up on (its limit is 20 s) would hold one
     * of the few handshake threads for good, and the participants queued behind it would time out too. A little
     * over the server's limit: never giving up on a handshake the server still runs (ours ends just after its).
     */
    @Override
    public int getHandshakeTimeoutMillis() {
        return HANDSHAKE_TIMEOUT_MILLIS;
    }

    public static final int HANDSHAKE_TIMEOUT_MILLIS = 25_000;

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = super.getClientExtensions();
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(
                new int[] {SrtpProfile.AEAD_AES_128_GCM.id(), SrtpProfile.AES_CM_128_HMAC_SHA1_80.id()},
                TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (srtp == null || srtp.getProtectionProfiles().length != 1) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the server chose no SRTP profile");
        }
        profile = SrtpProfile.byId(srtp.getProtectionProfiles()[0]);
        if (profile == null) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the server chose an SRTP profile we did not offer");
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate c) throws IOException {
                if (c.getCertificate().isEmpty()) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate, "the server sent no certificate");
                }
                String got = DtlsCertificate.sha256Fingerprint(c.getCertificate().getCertificateAt(0).getEncoded());
                if (!got.equalsIgnoreCase(serverFingerprint)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate,
                            "the server's certificate does not match the answer's fingerprint");
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.der())});
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                        certificate.privateKey(), chain,
                        SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null,
                2 * (profile.keyLength() + profile.saltLength()));
        onKeys.accept(SrtpKeys.split(profile, material));
    }
}
