package org.steno.conference.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.steno.conference.media.dtls.DtlsCertificate;
import org.steno.conference.media.dtls.DtlsSrtpClient;
import org.steno.conference.media.mux.PacketKind;
import org.steno.conference.media.sdp.SdpTest;
import org.steno.conference.media.srtp.SrtpContext;
import org.steno.conference.media.srtp.SrtpProfile;

/**
 * A browser stand-in for tests without Chromium: the captured Chromium offer with our own ICE credentials and
 * certificate, a STUN check, a BouncyCastle DTLS 1.2 client with use_srtp, then SRTP both ways.
 */
final class FakeBrowser implements AutoCloseable {

    static final long AUDIO_SSRC = 3600373881L; // from the captured offer
    static final int AUDIO_PT = 111;
    static final int MID_EXT = 4;
    static final int LEVEL_EXT = 1;

    final MediaServer media;
    final Endpoint endpoint;
    final String answer;
    final StunClient stun;
    final DtlsCertificate certificate = DtlsCertificate.generate();
    private final LinkedBlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<byte[]> srtpIn = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean running = true;
    /** Simulated network loss: an RTP datagram with this (clear-text) sequence number is dropped once. */
    volatile int loseSeqOnce = -1;
    SrtpContext tx;
    SrtpContext rx;
    SrtpProfile profile;
    private DTLSTransport dtls;

    /** Every address a datagram from the server came from (STUN, DTLS, SRTP). */
    final Set<InetSocketAddress> serverSources = ConcurrentHashMap.newKeySet();

    /** Creates the endpoint, answers the offer (with {@code offeredFingerprint} or our real one) and starts ICE. */
    FakeBrowser(MediaServer media, String group, String name, String offeredFingerprintOverride) throws Exception {
        this(media, group, name, offeredFingerprintOverride, new InetSocketAddress("127.0.0.1", 0),
                new InetSocketAddress("127.0.0.1", media.port()));
    }

    /** As above, from {@code local} (a browser's host candidate) to {@code server} (one of our candidates). */
    FakeBrowser(MediaServer media, String group, String name, String offeredFingerprintOverride,
                InetSocketAddress local, InetSocketAddress server) throws Exception {
        this(media, group, name, offeredFingerprintOverride, local, server, SdpTest.chromiumOffer(), "lTin");
    }

    /**
     * A browser that offers {@code baseOffer} (a captured Chromium offer whose ICE ufrag is {@code baseUfrag}), with
     * our ICE credentials and certificate.
     */
    FakeBrowser(MediaServer media, String group, String name, String offeredFingerprintOverride,
                InetSocketAddress local, InetSocketAddress server, String baseOffer, String baseUfrag) throws Exception {
        this.media = media;
        this.endpoint = media.createEndpoint(group, name);
        String ufrag = "f" + Integer.toHexString(new SecureRandom().nextInt(0xFFFF));
        String fp = offeredFingerprintOverride != null ? offeredFingerprintOverride : certificate.fingerprint();
        String offer = baseOffer.replace("a=ice-ufrag:" + baseUfrag, "a=ice-ufrag:" + ufrag)
                .replaceAll("a=fingerprint:sha-256 \\S+", "a=fingerprint:sha-256 " + fp);
        this.answer = media.answer(endpoint, offer);
        this.stun = new StunClient(local, server, answer, ufrag);
        stun.socket.setSoTimeout(200);
        reader = new Thread(this::readLoop, "fake-browser-" + name);
        reader.setDaemon(true);
    }

    void connect() throws Exception {
        stun.send(stun.bindingRequest(true, stun.serverPwd));
        reader.start();
        DTLSClientProtocol protocol = new DTLSClientProtocol();
        JcaTlsCrypto crypto = new JcaTlsCryptoProvider().create(new SecureRandom());
        java.util.regex.Matcher fm = java.util.regex.Pattern.compile("a=fingerprint:sha-256 (\\S+)").matcher(answer);
        if (!fm.find()) {
            throw new AssertionError("no fingerprint in the answer");
        }
        String serverFp = fm.group(1);
        DtlsSrtpClient client = new DtlsSrtpClient(crypto, certificate, serverFp, keys -> {
            profile = keys.profile();
            tx = keys.inbound();  // the server's inbound = what the client sends
            rx = keys.outbound();
        });
        dtls = protocol.connect(client, new Transport());
    }

    private void readLoop() {
        byte[] buf = new byte[2048];
        while (running) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                stun.socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            byte[] d = Arrays.copyOf(buf, p.getLength());
            PacketKind k = PacketKind.of(d, 0, d.length);
            serverSources.add((InetSocketAddress) p.getSocketAddress());
            if (k == PacketKind.DTLS) {
                dtlsIn.add(d);
            } else if (k == PacketKind.RTP || k == PacketKind.RTCP) {
                srtpIn.add(d);
            }
        }
    }

    /** Sends one plaintext RTP/RTCP packet encrypted; returns the datagram sent (for replays). */
    byte[] sendRtp(byte[] plain) throws Exception {
        byte[] enc = tx.protectRtp(plain, 0, plain.length);
        stun.send(enc);
        return enc;
    }

    void sendRtcp(byte[] plain) throws Exception {
        stun.send(tx.protectRtcp(plain, 0, plain.length));
    }

    /** Next decrypted RTP (rtcp=false) or RTCP packet within the timeout, or null. */
    byte[] receive(boolean rtcp, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            byte[] d = srtpIn.poll(50, TimeUnit.MILLISECONDS);
            if (d == null) {
                continue;
            }
            boolean isRtcp = PacketKind.of(d, 0, d.length) == PacketKind.RTCP;
            if (isRtcp != rtcp) {
                continue;
            }
            if (!rtcp && (((d[2] & 0xFF) << 8) | (d[3] & 0xFF)) == loseSeqOnce) {
                loseSeqOnce = -1;
                continue;
            }
            int n = rtcp ? rx.unprotectRtcp(d, 0, d.length) : rx.unprotectRtp(d, 0, d.length);
            if (n < 0) {
                throw new AssertionError("cannot decrypt what the server sent: " + n);
            }
            return Arrays.copyOf(d, n);
        }
        return null;
    }

    /** An Opus-like RTP packet as Chromium sends it: mid and audio level one-byte extensions. */
    static byte[] audioPacket(int seq, long ts, int level, byte[] payload) {
        return org.steno.conference.media.rtp.RtpWriter.write(AUDIO_PT, false, seq, ts, AUDIO_SSRC,
                new org.steno.conference.media.rtp.RtpWriter.Extension[] {
                    org.steno.conference.media.rtp.RtpWriter.Extension.audioLevel(LEVEL_EXT, true, level),
                    org.steno.conference.media.rtp.RtpWriter.Extension.mid(MID_EXT, "0")},
                payload, 0, payload.length);
    }

    @Override
    public void close() {
        running = false;
        if (dtls != null) {
            try {
                dtls.close();
            } catch (IOException e) {
                // ignore
            }
        }
        stun.close();
    }

    private final class Transport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1150;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] d = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                System.arraycopy(d, 0, buf, off, Math.min(len, d.length));
                return Math.min(len, d.length);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            try {
                stun.send(Arrays.copyOfRange(buf, off, off + len));
            } catch (Exception e) {
                throw new IOException(e);
            }
        }

        @Override
        public void close() {
        }
    }
}
