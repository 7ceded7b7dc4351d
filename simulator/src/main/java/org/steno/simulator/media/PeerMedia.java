package org.steno.simulator.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.steno.conference.media.dtls.DtlsCertificate;
import org.steno.conference.media.dtls.DtlsSrtpClient;
import org.steno.conference.media.dtls.SrtpKeys;
import org.steno.conference.media.mux.PacketKind;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtcp.RtcpWriter;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.RtpWriter;
import org.steno.conference.media.srtp.SrtpContext;
import org.steno.simulator.signal.Answer;
import org.steno.simulator.signal.OfferBuilder;

/**
 * One simulated participant's media: its UDP socket (non-blocking, served by a {@link MediaLoop}), ICE as the
 * controlling side, the DTLS client (on the shared handshake pool), SRTP both ways, the pre-encoded Opus (and VP8)
 * it sends on the loop's 20 ms tick, RTCP sender/receiver reports, a keyframe when asked (PLI/FIR), and what it
 * receives, counted per receive slot and per source participant (the slot → participant map is the server's
 * {@code slots} message). Inbound work runs on the loop's thread, sending on the ticker's; no thread of its own.
 */
public final class PeerMedia {

    public enum State { NEW, CHECKING, DTLS, CONNECTED, FAILED, CLOSED }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long CHECK_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** ICE and DTLS together; generous, as a loaded machine slows BouncyCastle's handshakes down a lot. */
    private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(45);
    /** Talkers' RFC 6464 level: -25 dBov with voice activity, as a browser reports an ordinary voice. */
    private static final int TALK_LEVEL = 25;
    /** A muted microphone: -127 dBov, no voice. */
    private static final int SILENT_LEVEL = 127;

    final String name;
    private final int verifyEvery;
    private long rtpSeen;
    private final boolean talker;
    private final boolean camera;
    public final long audioSsrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    public final long videoSsrc = RANDOM.nextInt() & 0xFFFFFFFFL;
    public final String ufrag = randomToken(8);
    public final String pwd = randomToken(24);
    public final DtlsCertificate certificate = DtlsCertificate.generate();
    final DatagramChannel channel;
    private final MediaFiles files = MediaFiles.get();
    private final PeerCounters counters = new PeerCounters();

    private volatile State state = State.NEW;
    private volatile String failure;
    private volatile Answer answer;
    private volatile InetSocketAddress remote;
    private volatile SrtpContext tx;
    private volatile SrtpContext rx;
    private volatile boolean keyframeWanted;
    private volatile Map<String, String> participantByMid = Map.of();
    private final LinkedBlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(64);

    // ICE (loop thread + ticker thread, guarded by this)
    private final Map<InetSocketAddress, byte[]> checks = new LinkedHashMap<>();
    private long checksSentNanos;
    private long startedNanos;
    private IceCheck ice;

    // sending (ticker thread only)
    private int audioSeq = RANDOM.nextInt(0x10000);
    private long audioTs = RANDOM.nextInt() & 0xFFFFFFFFL;
    private int videoSeq = RANDOM.nextInt(0x10000);
    private long videoTs = RANDOM.nextInt() & 0xFFFFFFFFL;
    private int audioIndex;
    private int frameIndex;

    // receiving (loop thread only)
    private final Map<Long, ReceiveStream> streams = new HashMap<>();
    /** Receive mid → (source participant → packets it brought on that slot). */
    private final Map<String, Map<String, Long>> carried = new HashMap<>();

    /**
     * @param verifyEvery authenticate and decrypt one received RTP packet in this many (1: all); every packet is
     *                    counted from its header, which SRTP leaves in the clear, so a load client sharing a machine
     *                    with the server can spare it the decryption of most packets
     */
    public PeerMedia(String name, boolean talker, boolean camera, int verifyEvery) throws IOException {
        if (verifyEvery < 1) {
            throw new IllegalArgumentException("verifyEvery must be at least 1");
        }
        this.verifyEvery = verifyEvery;
        this.name = name;
        this.talker = talker;
        this.camera = camera;
        this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 512 * 1024);
        channel.bind(new InetSocketAddress(0));
        channel.configureBlocking(false);
    }

    private static String randomToken(int n) {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    public State state() {
        return state;
    }

    public String failure() {
        return failure;
    }

    public PeerCounters counters() {
        return counters;
    }

    /** The server's first answer: start checking its candidates (sent on the next tick, retried until one answers). */
    public synchronized void start(Answer a) {
        if (state != State.NEW) {
            return;
        }
        this.answer = a;
        this.ice = new IceCheck(a.iceUfrag(), ufrag, a.icePwd());
        for (InetSocketAddress c : a.candidates()) {
            checks.put(c, IceCheck.newTransactionId());
        }
        startedNanos = System.nanoTime();
        state = State.CHECKING;
    }

    /** The server's later answers (renegotiation): same ICE and DTLS, maybe new receive slots. */
    public void update(Answer a) {
        this.answer = a;
    }

    /** The server's {@code slots} message: which participant each receive mid shows now. */
    public void slots(Map<String, String> byMid) {
        this.participantByMid = Map.copyOf(byMid);
    }

    void fail(String why) {
        if (state != State.FAILED && state != State.CLOSED) {
            failure = why;
            state = State.FAILED;
        }
    }

    // ------------------------------------------------------------------ ticker thread

    /** Called every 20 ms by the ticker; {@code tick} counts from the start of the simulation. */
    void tick(long tick, int offset, ExecutorService handshakes) {
        State s = state;
        if (s == State.CHECKING) {
            retryChecks(handshakes);
            return;
        }
        if (s == State.DTLS && System.nanoTime() - startedNanos > CONNECT_TIMEOUT_NANOS) {
            fail("no DTLS handshake within " + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NANOS) + " s");
        }
        if (s != State.CONNECTED) {
            return;
        }
        sendAudio();
        long t = tick + offset;
        if (camera && t % (MediaFiles.VIDEO_FRAME_MILLIS / 20) == 0) {
            sendVideoFrame();
        }
        if (t % 50 == 0) {
            sendReports();
        }
        if (t % 125 == 0) {
            sendRaw(ice.request(IceCheck.newTransactionId(), true)); // consent freshness (RFC 7675)
        }
    }

    private synchronized void retryChecks(ExecutorService handshakes) {
        long now = System.nanoTime();
        if (now - startedNanos > CONNECT_TIMEOUT_NANOS) {
            fail("no ICE connectivity check was answered within "
                    + TimeUnit.NANOSECONDS.toSeconds(CONNECT_TIMEOUT_NANOS) + " s (candidates " + checks.keySet() + ")");
            return;
        }
        if (now - checksSentNanos < CHECK_RETRY_NANOS) {
            return;
        }
        checksSentNanos = now;
        for (Map.Entry<InetSocketAddress, byte[]> c : checks.entrySet()) {
            send(ByteBuffer.wrap(ice.request(c.getValue(), false)), c.getKey());
        }
    }

    private void sendAudio() {
        List<byte[]> packets = talker ? files.talk() : files.silence();
        byte[] payload = packets.get(audioIndex++ % packets.size());
        int level = talker ? TALK_LEVEL : SILENT_LEVEL;
        byte[] rtp = RtpWriter.write(OfferBuilder.OPUS_PT, false, audioSeq, audioTs, audioSsrc,
                new RtpWriter.Extension[] {RtpWriter.Extension.audioLevel(OfferBuilder.EXT_AUDIO_LEVEL, talker, level),
                    RtpWriter.Extension.mid(OfferBuilder.EXT_MID, OfferBuilder.AUDIO_MID)},
                payload, 0, payload.length);
        audioSeq = (audioSeq + 1) & 0xFFFF;
        audioTs = (audioTs + MediaFiles.OPUS_SAMPLES_PER_PACKET) & 0xFFFFFFFFL;
        sendRtp(rtp, false);
    }

    private void sendVideoFrame() {
        List<MediaFiles.Vp8Frame> frames = files.camera();
        if (keyframeWanted) {
            keyframeWanted = false;
            frameIndex = 0; // the file starts with a key frame
            counters.keyframesSent.increment();
        }
        MediaFiles.Vp8Frame frame = frames.get(frameIndex);
        frameIndex = (frameIndex + 1) % frames.size();
        List<byte[]> payloads = Vp8Packetizer.payloads(frame.data());
        for (int i = 0; i < payloads.size(); i++) {
            byte[] p = payloads.get(i);
            byte[] rtp = RtpWriter.write(OfferBuilder.VP8_PT, i == payloads.size() - 1, videoSeq, videoTs, videoSsrc,
                    new RtpWriter.Extension[] {RtpWriter.Extension.mid(OfferBuilder.EXT_MID, OfferBuilder.VIDEO_MID)},
                    p, 0, p.length);
            videoSeq = (videoSeq + 1) & 0xFFFF;
            sendRtp(rtp, true);
        }
        videoTs = (videoTs + MediaFiles.VIDEO_TICKS_PER_FRAME) & 0xFFFFFFFFL;
    }

    private void sendRtp(byte[] plain, boolean video) {
        byte[] enc = tx.protectRtp(plain, 0, plain.length);
        if (sendRaw(enc)) {
            (video ? counters.videoSent : counters.audioSent).increment();
        }
    }

    /** SR for what we send, with a report block for every slot we receive on (RFC 3550 §6.4). */
    private void sendReports() {
        long now = System.currentTimeMillis();
        long ntp = ((now / 1000 + 2_208_988_800L) << 32) | (((now % 1000) << 32) / 1000);
        byte[] sr = RtcpWriter.senderReport(audioSsrc, ntp, audioTs, counters.audioSent.sum(), 0);
        List<RtcpPacket.ReportBlock> blocks = reportBlocks();
        byte[] rr = RtcpWriter.receiverReport(audioSsrc, blocks);
        byte[] plain = RtcpWriter.concat(sr, rr);
        if (sendRaw(tx.protectRtcp(plain, 0, plain.length))) {
            counters.rtcpSent.increment();
        }
    }

    private List<RtcpPacket.ReportBlock> reportBlocks() {
        synchronized (streams) {
            List<RtcpPacket.ReportBlock> blocks = new ArrayList<>(streams.size());
            long now = System.nanoTime();
            for (ReceiveStream s : streams.values()) {
                blocks.add(s.reportBlock(now));
            }
            return blocks;
        }
    }

    private boolean sendRaw(byte[] datagram) {
        InetSocketAddress to = remote;
        return to != null && send(ByteBuffer.wrap(datagram), to);
    }

    private boolean send(ByteBuffer b, InetSocketAddress to) {
        try {
            if (channel.send(b, to) == 0) {
                counters.sendDropped.increment(); // the socket's buffer is full: dropped, as a congested link would
                return false;
            }
            return true;
        } catch (IOException e) {
            counters.sendDropped.increment();
            return false;
        }
    }

    // ------------------------------------------------------------------ loop thread

    /** One datagram from the socket, demultiplexed by its first byte (RFC 7983). */
    void onDatagram(byte[] buf, int len, InetSocketAddress from, ExecutorService handshakes) {
        switch (PacketKind.of(buf, 0, len)) {
            case STUN -> onStun(buf, len, from, handshakes);
            case DTLS -> {
                // Only while our handshake runs; before the pair is chosen, or after, DTLS is not expected.
                if (state != State.DTLS || !dtlsIn.offer(java.util.Arrays.copyOf(buf, len))) {
                    counters.dropped.increment();
                }
            }
            case RTP -> onRtp(buf, len);
            case RTCP -> onRtcp(buf, len);
            default -> counters.dropped.increment();
        }
    }

    private synchronized void onStun(byte[] buf, int len, InetSocketAddress from, ExecutorService handshakes) {
        if (ice == null) {
            counters.dropped.increment();
            return;
        }
        if (state == State.CHECKING) {
            byte[] tid = checks.get(from);
            if (tid == null || !ice.isValidResponse(buf, len, tid)) {
                counters.dropped.increment();
                return;
            }
            // The first candidate that answers becomes the pair; nominate it (regular nomination) and shake hands.
            remote = from;
            send(ByteBuffer.wrap(ice.request(IceCheck.newTransactionId(), true)), from);
            state = State.DTLS;
            handshakes.execute(this::handshake);
            return;
        }
        if (from.equals(remote) && ice.isAuthenticResponse(buf, len)) {
            counters.stunResponses.increment(); // consent granted again
        } else {
            counters.dropped.increment();
        }
    }

    private void handshake() {
        Answer a = answer;
        try {
            DtlsSrtpClient client = new DtlsSrtpClient(new JcaTlsCryptoProvider().create(RANDOM), certificate,
                    a.fingerprint(), this::installKeys);
            new DTLSClientProtocol().connect(client, new Transport());
            if (state == State.DTLS) {
                state = State.CONNECTED;
                counters.connectedAtNanos = System.nanoTime();
            }
        } catch (IOException | RuntimeException e) {
            fail("DTLS handshake failed: " + e.getMessage());
        }
    }

    private void installKeys(SrtpKeys keys) {
        // We are the DTLS client: what the server calls inbound is what we send.
        tx = keys.inbound();
        rx = keys.outbound();
    }

    private void onRtp(byte[] buf, int len) {
        SrtpContext r = rx;
        if (r == null) {
            counters.dropped.increment();
            return;
        }
        int n;
        if (rtpSeen++ % verifyEvery == 0) {
            n = r.unprotectRtp(buf, 0, len);
            if (n < 0) {
                counters.srtpFailures.increment();
                return;
            }
            counters.verified.increment();
        } else {
            n = len - r.profile().tagLength(); // the header is in the clear; the tag is not looked at
        }
        RtpPacket p = RtpPacket.parse(buf, 0, n);
        if (p == null) {
            counters.dropped.increment();
            return;
        }
        long ssrc = p.ssrc();
        String mid = answer.midBySsrc().get(ssrc);
        if (mid == null) {
            mid = p.stringExtension(OfferBuilder.EXT_MID);
        }
        boolean video = p.payloadType() == OfferBuilder.VP8_PT;
        (video ? counters.videoReceived : counters.audioReceived).increment();
        synchronized (streams) {
            streams.computeIfAbsent(ssrc, s -> new ReceiveStream(s, video ? "video" : "audio"))
                    .onPacket(p.sequenceNumber(), p.timestamp(), System.nanoTime());
        }
        if (mid != null) {
            String source = participantByMid.getOrDefault(mid, "?");
            carried.computeIfAbsent(mid, k -> new HashMap<>()).merge(source, 1L, Long::sum);
        }
    }

    private void onRtcp(byte[] buf, int len) {
        SrtpContext r = rx;
        if (r == null) {
            counters.dropped.increment();
            return;
        }
        int n = r.unprotectRtcp(buf, 0, len);
        if (n < 0) {
            counters.srtpFailures.increment();
            return;
        }
        List<RtcpPacket> packets;
        try {
            packets = RtcpPacket.parseCompound(buf, 0, n);
        } catch (IllegalArgumentException e) {
            counters.dropped.increment();
            return;
        }
        for (RtcpPacket p : packets) {
            if (p instanceof RtcpPacket.Pli pli && pli.mediaSsrc() == videoSsrc
                    || p instanceof RtcpPacket.Fir fir && fir.ssrcs().contains(videoSsrc)) {
                counters.keyframeRequests.increment();
                keyframeWanted = true;
            } else if (p instanceof RtcpPacket.Nack) {
                counters.nacksReceived.increment();
            } else if (p instanceof RtcpPacket.SenderReport sr) {
                synchronized (streams) {
                    ReceiveStream s = streams.get(sr.senderSsrc());
                    if (s != null) {
                        s.onSenderReport(sr.ntpTimestamp(), System.nanoTime());
                    }
                }
            }
        }
    }

    /** What this peer received, per slot and per source; call once the loop has stopped. */
    public ReceivedMedia received() {
        synchronized (streams) {
            long packets = 0;
            long expected = 0;
            long lost = 0;
            double maxJitter = 0;
            double sumJitter = 0;
            for (ReceiveStream s : streams.values()) {
                packets += s.packets;
                expected += s.expected();
                lost += s.lost();
                maxJitter = Math.max(maxJitter, s.jitterMillis());
                sumJitter += s.jitterMillis();
            }
            Map<String, Long> audio = new HashMap<>();
            Map<String, Long> video = new HashMap<>();
            Map<String, String> kindByMid = new HashMap<>();
            for (ReceiveStream s : streams.values()) {
                String mid = answer == null ? null : answer.midBySsrc().get(s.ssrc);
                if (mid != null) {
                    kindByMid.put(mid, s.kind);
                }
            }
            carried.forEach((mid, bySource) -> {
                Map<String, Long> target = "video".equals(kindByMid.get(mid)) ? video : audio;
                bySource.forEach((who, n) -> target.merge(who, n, Long::sum));
            });
            return new ReceivedMedia(packets, expected, lost, streams.isEmpty() ? 0 : sumJitter / streams.size(),
                    maxJitter, Map.copyOf(audio), Map.copyOf(video), streams.size());
        }
    }

    public void close() {
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    /** BouncyCastle's view of the socket: datagrams the loop queued, sends straight to the selected pair. */
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
            if (state == State.FAILED || state == State.CLOSED) {
                throw new IOException("peer closed during the handshake");
            }
            try {
                byte[] d = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                int n = Math.min(len, d.length);
                System.arraycopy(d, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            PeerMedia.this.send(ByteBuffer.wrap(buf, off, len), remote);
        }

        @Override
        public void close() {
        }
    }
}
