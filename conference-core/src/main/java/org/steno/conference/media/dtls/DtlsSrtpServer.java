package org.steno.conference.media.dtls;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import java.util.function.Consumer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.steno.conference.media.srtp.SrtpProfile;

/**
 * The DTLS 1.2 server side of DTLS-SRTP for one browser: ECDSA credentials, a client certificate that must match
 * the offer's {@code a=fingerprint}, use_srtp negotiation (AEAD_AES_128_GCM preferred, else AES_CM_128_HMAC_SHA1_80),
 * and the keying material exported inside {@link #notifyHandshakeComplete()} (the only moment BouncyCastle allows it).
 */
final class DtlsSrtpServer extends DefaultTlsServer {

    private final JcaTlsCrypto crypto;
    private final DtlsCertificate certificate;
    private final String expectedClientFingerprint;
    private final Consumer<SrtpKeys> onKeys;
    private final Runnable onCloseNotify;
    private SrtpProfile chosen;
    private boolean clientCertificateVerified;

    DtlsSrtpServer(JcaTlsCrypto crypto, DtlsCertificate certificate, String expectedClientFingerprint,
                   Consumer<SrtpKeys> onKeys, Runnable onCloseNotify) {
        super(crypto);
        this.onCloseNotify = onCloseNotify;
        this.crypto = crypto;
        this.certificate = certificate;
        this.expectedClientFingerprint = expectedClientFingerprint;
        this.onKeys = onKeys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only(); // Chromium offers 1.3 too; BouncyCastle's DTLS 1.3 fails with it
    }

    /** Our certificate is ECDSA: offer only ECDHE_ECDSA suites (else BouncyCastle may pick an RSA one). */
    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(crypto, new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        });
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        Certificate chain = new Certificate(new TlsCertificate[] {crypto.createCertificate(certificate.der())});
        return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto,
                certificate.privateKey(), chain,
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector<SignatureAndHashAlgorithm> algs = new Vector<>();
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa));
        algs.add(SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.rsa));
        algs.add(SignatureAndHashAlgorithm.rsa_pss_rsae_sha256);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                algs, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the browser sent no certificate");
        }
        String got = DtlsCertificate.sha256Fingerprint(clientCertificate.getCertificateAt(0).getEncoded());
        if (!got.equalsIgnoreCase(expectedClientFingerprint)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "certificate does not match a=fingerprint");
        }
        clientCertificateVerified = true;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no use_srtp extension");
        }
        SrtpProfile best = null;
        for (int id : offered.getProtectionProfiles()) {
            SrtpProfile p = SrtpProfile.byId(id);
            if (p == SrtpProfile.AEAD_AES_128_GCM) {
                best = p;
                break;
            }
            if (p != null && best == null) {
                best = p;
            }
        }
        if (best == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "no SRTP profile in common");
        }
        chosen = best;
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {chosen.id()}, TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return 20_000;
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        if (description == AlertDescription.close_notify) {
            onCloseNotify.run();
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (!clientCertificateVerified) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "client certificate was not verified");
        }
        int n = 2 * (chosen.keyLength() + chosen.saltLength());
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, n);
        onKeys.accept(SrtpKeys.split(chosen, material));
    }
}
