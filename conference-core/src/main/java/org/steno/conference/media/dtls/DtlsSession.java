package org.steno.conference.media.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DTLS association with a browser over the shared UDP socket. The handshake runs on a handshake executor (a
 * thread is held only while it lasts, reading from a small queue the endpoint fills); afterwards every DTLS
 * datagram (retransmitted flights, alerts such as close_notify) is processed on the endpoint's worker by a
 * non-blocking {@code receive}, so no thread stays per peer.
 */
public final class DtlsSession {

    private static final Logger LOG = LoggerFactory.getLogger(DtlsSession.class);
    /** Chromium's ClientHello was ≤ 1200 bytes per datagram; keep ours below the usual path MTU too. */
    private static final int MTU = 1200;
    private static final JcaTlsCrypto CRYPTO = new JcaTlsCryptoProvider().create(new SecureRandom());

    /** What the endpoint hears from its DTLS association. */
    public interface Listener {
        void onKeys(SrtpKeys keys);

        void onClosed(String reason);
    }

    private final BlockingQueue<byte[]> incoming = new ArrayBlockingQueue<>(64);
    private final DtlsCertificate certificate;
    private final String expectedClientFingerprint;
    private final Consumer<byte[]> sender;
    private final Listener listener;
    private volatile DTLSTransport transport;
    private volatile boolean closed;
    private volatile boolean started;

    public DtlsSession(DtlsCertificate certificate, String expectedClientFingerprint, Consumer<byte[]> sender,
                       Listener listener) {
        this.certificate = certificate;
        this.expectedClientFingerprint = expectedClientFingerprint;
        this.sender = sender;
        this.listener = listener;
    }

    /** Loads and exercises the DTLS and crypto classes so the first real handshake is not 0.5 s slow. */
    public static void warmUp() {
        DtlsCertificate.sha256Fingerprint(DtlsCertificate.generate().der());
        CRYPTO.getSecureRandom().nextInt();
    }

    public boolean isStarted() {
        return started;
    }

    public boolean isConnected() {
        return transport != null;
    }

    /** Starts the server handshake; the browser's ClientHello may already be queued. */
    public synchronized void start(Executor handshakes) {
        if (started || closed) {
            return;
        }
        started = true;
        try {
            handshakes.execute(this::handshake);
        } catch (RejectedExecutionException e) {
            fail("dtls-failed", null);
        }
    }

    private void handshake() {
        DtlsSrtpServer server = new DtlsSrtpServer(CRYPTO, certificate, expectedClientFingerprint, listener::onKeys,
                () -> fail("dtls-closed", null));
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        protocol.setVerifyRequests(false); // the STUN check already authenticated this source
        try {
            long t0 = System.nanoTime();
            DTLSTransport t = protocol.accept(server, new QueueTransport());
            transport = t;
            LOG.debug("DTLS handshake done in {} ms", (System.nanoTime() - t0) / 1_000_000);
            if (closed) {
                t.close();
            }
        } catch (IOException | RuntimeException e) {
            fail("dtls-failed", e);
        }
    }

    /** A DTLS datagram from the browser (endpoint worker thread). */
    public void onDatagram(byte[] data) {
        if (closed) {
            return;
        }
        if (!incoming.offer(data)) {
            return; // a flood while the handshake is busy: drop, the peer retransmits
        }
        DTLSTransport t = transport;
        if (t == null) {
            return; // the handshake thread reads it
        }
        byte[] buf = new byte[MTU + 512];
        try {
            while (!incoming.isEmpty() && !closed) {
                // Application data is not expected on WebRTC media associations; ignore what comes.
                t.receive(buf, 0, buf.length, 1);
            }
        } catch (IOException | RuntimeException e) {
            fail("dtls-closed", e);
        }
    }

    public void close() {
        DTLSTransport t = transport;
        if (t != null && !closed) {
            try {
                t.close(); // sends close_notify while the session still sends, so the browser notices at once
            } catch (IOException | RuntimeException e) {
                LOG.debug("DTLS close", e);
            }
        }
        closed = true;
        incoming.clear();
    }

    private void fail(String reason, Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        if (cause != null) {
            // One line per association, not per packet: worth seeing when a browser cannot connect.
            LOG.info("DTLS {}: {}", reason, cause.toString(), LOG.isDebugEnabled() ? cause : null);
        }
        listener.onClosed(reason);
    }

    /** BouncyCastle's view of the association: reads the endpoint's queue, writes through the shared socket. */
    private final class QueueTransport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return MTU + 512;
        }

        @Override
        public int getSendLimit() {
            return MTU - 28;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) {
                throw new IOException("DTLS session closed");
            }
            byte[] d;
            try {
                d = incoming.poll(Math.max(0, waitMillis), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            if (d == null) {
                return -1; // timeout: BouncyCastle retransmits its flight
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            if (closed) {
                return;
            }
            byte[] copy = new byte[len];
            System.arraycopy(buf, off, copy, 0, len);
            sender.accept(copy);
        }

        @Override
        public void close() {
            // the shared socket outlives every association
        }
    }
}
