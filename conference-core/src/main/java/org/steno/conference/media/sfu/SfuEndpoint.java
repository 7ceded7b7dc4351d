package org.steno.conference.media.sfu;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.TileSize;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.media.dtls.DtlsSession;
import org.steno.conference.media.dtls.SrtpKeys;
import org.steno.conference.media.ice.IceLiteAgent;
import org.steno.conference.media.mux.CandidatePair;
import org.steno.conference.media.mux.Counters;
import org.steno.conference.media.mux.Datagram;
import org.steno.conference.media.mux.PacketKind;
import org.steno.conference.media.mux.SerialQueue;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.sdp.SdpAnswer;
import org.steno.conference.media.sdp.SdpParser;
import org.steno.conference.media.sdp.SessionDescription;
import org.steno.conference.media.sdp.Simulcast;
import org.steno.conference.media.sdp.SessionDescription.Codec;
import org.steno.conference.media.sdp.SessionDescription.MediaDescription;
import org.steno.conference.media.srtp.SrtpContext;

/**
 * One browser peer: its ICE-lite agent, DTLS association, SRTP contexts, upstream tracks ({@link Receiver}s) and
 * receive slots ({@link DownTrack}s). Every datagram from the peer is handled in order on its {@link SerialQueue};
 * forwarding into this endpoint (from other publishers' workers) goes through the synchronized outbound SRTP
 * context and the down-tracks' own locks.
 */
public final class SfuEndpoint implements Endpoint {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_PENDING_SRTP = 128;
    /** Marker queued when SRTP keys arrive: flush what came before them, on the endpoint's own worker. */
    private static final Datagram FLUSH = new Datagram(PacketKind.UNKNOWN, new byte[0], null, 0, 0);

    private final String id;
    private final String participantId;
    private final Group group;
    private final SfuCore core;
    /** This subscriber's round-trip time: no packet is resent to it twice within one. */
    private final RoundTripTime roundTrip = new RoundTripTime();
    private final RetransmitBudget retransmits = new RetransmitBudget();
    private final Counters counters;
    final IceLiteAgent ice = new IceLiteAgent();
    final SerialQueue<Datagram> queue;
    final long rtcpSsrc = 1 + (RANDOM.nextInt() & 0x7FFFFFFEL);
    private final long sessionId = RANDOM.nextLong() & Long.MAX_VALUE;
    private int sdpVersion;

    private volatile DtlsSession dtls;
    private volatile String remoteFingerprint;
    private volatile SrtpContext inbound;
    private volatile SrtpContext outbound;
    private volatile boolean connected;
    private volatile boolean closed;
    private final ArrayDeque<Datagram> pendingSrtp = new ArrayDeque<>();

    private final Map<String, Receiver> receiversByMid = new ConcurrentHashMap<>();
    /** Every upstream RTP stream by SSRC: an ordinary track's one layer, or a simulcast layer once a packet named it. */
    private final Map<Long, Layer> layersBySsrc = new ConcurrentHashMap<>();
    private final Map<String, DownTrack> slotsByMid = new LinkedHashMap<>(); // guarded by this
    private final Map<Long, DownTrack> slotsBySsrc = new ConcurrentHashMap<>();
    private volatile int midExtId = -1;
    private volatile int audioLevelExtId = -1;
    private volatile int ridExtId = -1;
    private volatile int repairedRidExtId = -1;
    /** The video this subscriber can take (REMB, receiver-report loss): caps the simulcast layers it gets. */
    final SubscriberBudget budget = new SubscriberBudget();
    /** Our answer offered goog-remb on a line this subscriber receives video on (today's answers do not). */
    private volatile boolean rembNegotiated;
    /** The video sent to this subscriber, for the loss-based budget. */
    final BitrateMeter videoSent = new BitrateMeter();
    /** Receive slots asked of the page, and whether its re-offer is still awaited. */
    final SlotTarget slotTarget = new SlotTarget();
    private volatile int videoLimit = Integer.MAX_VALUE;
    private volatile List<String> pins = List.of();

    SfuEndpoint(String id, String participantId, Group group, SfuCore core) {
        this.id = id;
        this.participantId = participantId;
        this.group = group;
        this.core = core;
        this.counters = core.counters();
        this.queue = new SerialQueue<>(512, core.workers(), this::handle, counters, "endpoint.queue.drop");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String participantId() {
        return participantId;
    }

    @Override
    public String groupId() {
        return group.id;
    }

    Group group() {
        return group;
    }

    @Override
    public boolean isConnected() {
        return connected && !closed;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public List<TrackInfo> tracks() {
        List<TrackInfo> l = new ArrayList<>();
        for (Receiver r : receiversByMid.values()) {
            l.add(r.info);
        }
        return l;
    }

    List<Receiver> receivers() {
        return new ArrayList<>(receiversByMid.values());
    }

    @Override
    public synchronized List<SlotAssignment> slots() {
        List<SlotAssignment> l = new ArrayList<>();
        for (DownTrack d : slotsByMid.values()) {
            l.add(d.assignment());
        }
        return l;
    }

    synchronized List<DownTrack> downTracks() {
        return new ArrayList<>(slotsByMid.values());
    }

    /** The receive slots of one kind, in m-line order. */
    synchronized List<DownTrack> slotsOf(MediaKind kind) {
        List<DownTrack> l = new ArrayList<>();
        for (DownTrack d : slotsByMid.values()) {
            if (d.kind == kind) {
                l.add(d);
            }
        }
        return l;
    }

    /** How many receive slots of each kind the last accepted offer gave. */
    synchronized SlotTarget.Counts slotCounts() {
        int audio = 0;
        int video = 0;
        for (DownTrack d : slotsByMid.values()) {
            if (d.kind == MediaKind.AUDIO) {
                audio++;
            } else {
                video++;
            }
        }
        return new SlotTarget.Counts(audio, video);
    }

    /** Makes {@code d} carry {@code source} (null frees it); the source's own list of down-tracks follows. */
    synchronized void bind(DownTrack d, Receiver source) {
        Receiver old = d.source();
        if (old == source) {
            return;
        }
        if (old != null) {
            old.downTracks.remove(d);
        }
        d.bind(source);
        if (source != null) {
            source.downTracks.add(d);
        }
    }

    /** The most video sources this endpoint wants (the page's tile count; the server's last-N caps it too). */
    int videoLimit() {
        return videoLimit;
    }

    List<String> pins() {
        return pins;
    }

    @Override
    public void limitVideo(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("limitVideo needs 0 or more, got " + max);
        }
        if (max != videoLimit) {
            videoLimit = max;
            core.rebalance(group);
        }
    }

    @Override
    public void pin(List<String> participantIds) {
        List<String> p = List.copyOf(participantIds);
        if (!p.equals(pins)) {
            pins = p;
            core.rebalance(group);
        }
    }

    @Override
    public void tileSizes(Map<String, TileSize> sizesByMid) {
        synchronized (this) {
            for (DownTrack d : slotsByMid.values()) {
                d.tile = sizesByMid.get(d.mid);
            }
        }
        core.onTileSizes(this);
    }

    @Override
    public void close() {
        core.closeEndpoint(this, "closed");
    }

    /** Marks closed and frees the per-peer state; called once by the core. */
    void shutdown() {
        closed = true;
        for (DownTrack d : downTracks()) {
            bind(d, null); // its sources stop visiting it
        }
        queue.close();
        DtlsSession d = dtls;
        if (d != null) {
            d.close();
        }
        synchronized (this) {
            pendingSrtp.clear();
        }
    }

    // ------------------------------------------------------------ negotiation

    /** Applies an offer (first or renegotiation) and returns the answer. */
    synchronized String answer(String offerSdp, List<Receiver> added, List<Receiver> removed)
            throws InvalidSdpException {
        if (closed) {
            throw new InvalidSdpException("the endpoint is closed");
        }
        SessionDescription offer = SdpParser.parse(offerSdp);
        SdpAnswer.validate(offer);
        MediaDescription firstAccepted = null;
        for (MediaDescription m : offer.media) {
            if (firstAccepted == null && acceptedCodec(offer, m) != null) {
                firstAccepted = m;
            }
        }
        if (firstAccepted == null) {
            throw new InvalidSdpException("the offer has no audio or video m-line with Opus, VP8 or H.264");
        }
        if (remoteFingerprint != null && !remoteFingerprint.equals(firstAccepted.fingerprint)) {
            throw new InvalidSdpException("the DTLS fingerprint changed: create a new endpoint for a new peer connection");
        }
        // Simulcast is checked for every line before anything changes: a refused offer leaves the endpoint as it was.
        Map<String, List<String>> simulcast = new java.util.HashMap<>();
        for (MediaDescription m : offer.media) {
            List<String> rids = m.browserSends() && acceptedCodec(offer, m) != null ? Simulcast.sendLayers(m) : List.of();
            if (!rids.isEmpty() && m.extensionId(Simulcast.EXT_RID) <= 0) {
                throw new InvalidSdpException("m-line " + m.mid + " offers simulcast without the "
                        + Simulcast.EXT_RID + " header extension");
            }
            simulcast.put(m.mid, rids);
        }
        remoteFingerprint = firstAccepted.fingerprint;
        ice.setRemoteUfrag(firstAccepted.iceUfrag);
        List<SdpAnswer.Line> lines = new ArrayList<>();
        for (MediaDescription m : offer.media) {
            Codec codec = acceptedCodec(offer, m);
            if (codec == null) {
                lines.add(new SdpAnswer.Line(m, null, "inactive", -1, null));
                removeReceiver(m.mid, removed);
                DownTrack d = slotsByMid.get(m.mid);
                if (d != null) {
                    dropSlot(d);
                }
                continue;
            }
            MediaKind kind = m.type.equals("audio") ? MediaKind.AUDIO : MediaKind.VIDEO;
            int mid = m.extensionId(SdpAnswer.EXT_MID);
            if (mid > 0) {
                midExtId = mid;
            }
            if (kind == MediaKind.AUDIO && m.extensionId(SdpAnswer.EXT_AUDIO_LEVEL) > 0) {
                audioLevelExtId = m.extensionId(SdpAnswer.EXT_AUDIO_LEVEL);
            }
            List<String> rids = simulcast.getOrDefault(m.mid, List.of());
            if (!rids.isEmpty()) {
                ridExtId = m.extensionId(Simulcast.EXT_RID);
                repairedRidExtId = m.extensionId(Simulcast.EXT_REPAIRED_RID);
            }
            // Upstream: the browser sends on this m-line.
            if (m.browserSends()) {
                Receiver r = receiversByMid.get(m.mid);
                boolean screen = kind == MediaKind.VIDEO && "slides".equals(m.content);
                if (r == null || r.payloadType != codec.payloadType || !r.rids().equals(rids) || r.info.screenShare() != screen) {
                    removeReceiver(m.mid, removed);
                    TrackInfo info = new TrackInfo(id + "/" + m.mid, participantId, group.id, kind, codec.name,
                            codec.clockRate, m.mid, screen);
                    r = new Receiver(info, this, codec.payloadType, rids, rids.isEmpty() ? m.primarySsrc() : -1);
                    receiversByMid.put(m.mid, r);
                    added.add(r);
                }
                r.screenShare = screen;
                if (!r.simulcast()) {
                    Layer only = r.primary();
                    long ssrc = m.primarySsrc();
                    if (ssrc >= 0 && ssrc != only.ssrc) {
                        layersBySsrc.remove(only.ssrc, only);
                        only.ssrc = ssrc;
                    }
                    if (only.ssrc >= 0) {
                        layersBySsrc.put(only.ssrc, only);
                    }
                }
            } else {
                removeReceiver(m.mid, removed);
            }
            // Downstream: the browser receives on this m-line: it is a slot.
            long sendSsrc = -1;
            String msid = null;
            if (m.browserReceives()) {
                DownTrack d = slotsByMid.get(m.mid);
                if (d == null || d.kind != kind || !d.codec.equalsIgnoreCase(codec.name)) {
                    if (d != null) {
                        dropSlot(d);
                    }
                    d = new DownTrack(this, m.mid, kind, codec.name, codec.clockRate, codec.payloadType);
                    slotsByMid.put(m.mid, d);
                    slotsBySsrc.put(d.ssrc, d);
                }
                d.payloadType = codec.payloadType;
                if (kind == MediaKind.VIDEO && SdpAnswer.answersFeedback(codec, "goog-remb")) {
                    rembNegotiated = true;
                }
                d.midExtId = m.extensionId(SdpAnswer.EXT_MID);
                d.audioLevelExtId = m.extensionId(SdpAnswer.EXT_AUDIO_LEVEL);
                sendSsrc = d.ssrc;
                msid = "steno-" + m.mid + " steno-" + m.mid + "-" + d.ssrc;
            } else {
                DownTrack d = slotsByMid.get(m.mid);
                if (d != null) {
                    dropSlot(d);
                }
            }
            lines.add(new SdpAnswer.Line(m, codec, SdpAnswer.answerDirection(m.direction), sendSsrc, msid, rids));
        }
        // m-lines that disappeared from the offer (should not happen in unified plan, but be safe)
        for (String mid : new ArrayList<>(receiversByMid.keySet())) {
            if (offer.media.stream().noneMatch(m -> mid.equals(m.mid))) {
                removeReceiver(mid, removed);
            }
        }
        return SdpAnswer.build(offer, lines, ice.localUfrag(), ice.localPwd(), core.certificate().fingerprint(),
                core.candidateAddresses(), core.port(), sessionId, ++sdpVersion);
    }

    /** The codec we take on an m-line, or null if we reject it (not bundled, port 0, not audio/video, no codec). */
    private static Codec acceptedCodec(SessionDescription offer, MediaDescription m) {
        return m.port != 0 && SdpAnswer.isRtp(m) && offer.bundleMids.contains(m.mid) ? SdpAnswer.chooseCodec(m) : null;
    }

    private void removeReceiver(String mid, List<Receiver> removed) {
        Receiver r = receiversByMid.remove(mid);
        if (r != null) {
            for (Layer x : r.layers()) {
                layersBySsrc.remove(x.ssrc, x);
            }
            removed.add(r);
        }
    }

    private void dropSlot(DownTrack d) {
        slotsByMid.remove(d.mid);
        slotsBySsrc.remove(d.ssrc);
        Receiver src = d.source();
        if (src != null) {
            src.downTracks.remove(d);
        }
    }

    // ---------------------------------------------------------------- packets

    /** Handles one datagram, on this endpoint's serial worker. */
    void handle(Datagram d) {
        if (closed) {
            return;
        }
        if (d == FLUSH) {
            flushPending();
            return;
        }
        switch (d.kind()) {
            case STUN -> handleStun(d);
            case DTLS -> handleDtls(d);
            case RTP, RTCP -> {
                if (inbound == null) {
                    synchronized (this) {
                        if (pendingSrtp.size() >= MAX_PENDING_SRTP) {
                            pendingSrtp.pollFirst();
                            counters.inc("srtp.drop.before-keys");
                        }
                        pendingSrtp.addLast(d);
                    }
                    return;
                }
                if (d.kind() == PacketKind.RTP) {
                    handleRtp(d);
                } else {
                    handleRtcp(d);
                }
            }
            default -> counters.inc("endpoint.drop.unknown-kind");
        }
    }

    private void flushPending() {
        List<Datagram> l;
        synchronized (this) {
            l = new ArrayList<>(pendingSrtp);
            pendingSrtp.clear();
        }
        for (Datagram d : l) {
            handle(d);
        }
    }

    private void handleStun(Datagram d) {
        counters.inc("stun.rx");
        IceLiteAgent.Result r = ice.handle(d.data(), d.pair(), counters);
        if (r.response() == null) {
            return;
        }
        core.mux().bindPair(r.validPair(), queue);
        // Back on the pair it came in on: from the address the browser checked, which is the only source it accepts.
        core.mux().send(r.response(), d.pair());
    }

    private void handleDtls(Datagram d) {
        counters.inc("dtls.rx");
        String fp = remoteFingerprint;
        if (fp == null || !ice.hasValidCheck()) {
            counters.inc("dtls.drop.not-negotiated");
            return;
        }
        DtlsSession s = dtls;
        if (s == null) {
            s = new DtlsSession(core.certificate(), fp, bytes -> core.mux().send(bytes, ice.selectedPair()),
                    new DtlsSession.Listener() {
                        @Override
                        public void onKeys(SrtpKeys keys) {
                            onSrtpKeys(keys);
                        }

                        @Override
                        public void onClosed(String reason) {
                            core.closeEndpoint(SfuEndpoint.this, reason);
                        }
                    });
            dtls = s;
            s.onDatagram(d.data());
            s.start(core.handshakes());
            return;
        }
        s.onDatagram(d.data());
    }

    private void onSrtpKeys(SrtpKeys keys) {
        inbound = keys.inbound();
        outbound = keys.outbound();
        connected = true;
        counters.inc("dtls.connected." + keys.profile().name());
        queue.offer(FLUSH);
        core.onConnected(this);
    }

    private void handleRtp(Datagram d) {
        byte[] b = d.data();
        int n = inbound.unprotectRtp(b, 0, b.length);
        if (n < 0) {
            counters.inc(srtpDrop(n));
            return;
        }
        RtpPacket p = RtpPacket.parse(b, 0, n);
        if (p == null) {
            counters.inc("rtp.drop.malformed");
            return;
        }
        Layer layer = layersBySsrc.get(p.ssrc());
        if (layer == null) {
            layer = bindUnsignalledSsrc(p);
            if (layer == null) {
                return;
            }
        }
        Receiver r = layer.receiver;
        if (p.payloadType() != r.payloadType) {
            counters.inc("rtp.drop.unexpected-payload-type");
            return;
        }
        long ext = layer.onPacket(p.sequenceNumber(), p.timestamp(), p.length(), d.arrivalNanos());
        int level = -1;
        if (r.kind() == MediaKind.AUDIO && audioLevelExtId > 0) {
            level = p.audioLevel(audioLevelExtId);
            r.level.add(level, d.arrivalNanos());
        }
        counters.inc(r.kind() == MediaKind.AUDIO ? "rtp.rx.audio" : "rtp.rx.video");
        core.onUpstreamRtp(layer, p, ext, level, d);
    }

    /**
     * An SSRC no offer named: the mid header extension says which track it belongs to, and on a simulcast track
     * the rtp-stream-id (RFC 8852) says which layer — Chromium signals no SSRC for simulcast layers. The SSRC is then
     * that layer's (a layer whose encoder restarted with a new SSRC moves to it). Returns null, counted, for a
     * packet that cannot be placed: no or unknown mid, a simulcast packet without a rid or with a rid the offer did
     * not list, or a repair (RTX) stream, which we never negotiate.
     */
    private Layer bindUnsignalledSsrc(RtpPacket p) {
        String mid = midExtId > 0 ? p.stringExtension(midExtId) : null;
        Receiver r = mid == null ? null : receiversByMid.get(mid);
        if (r == null) {
            counters.inc("rtp.drop.unknown-ssrc");
            return null;
        }
        Layer layer;
        if (r.simulcast()) {
            String rid = ridExtId > 0 ? p.stringExtension(ridExtId) : null;
            if (rid == null) {
                boolean repair = repairedRidExtId > 0 && p.stringExtension(repairedRidExtId) != null;
                counters.inc(repair ? "rtp.drop.repair-stream" : "rtp.drop.simulcast-without-rid");
                return null;
            }
            layer = r.layer(rid);
            if (layer == null) {
                counters.inc("rtp.drop.unknown-rid");
                return null;
            }
            counters.inc("sfu.simulcast.ssrc-bound");
        } else {
            layer = r.primary();
        }
        layersBySsrc.remove(layer.ssrc, layer);
        layer.ssrc = p.ssrc();
        layersBySsrc.put(layer.ssrc, layer);
        return layer;
    }

    private void handleRtcp(Datagram d) {
        byte[] b = d.data();
        int n = inbound.unprotectRtcp(b, 0, b.length);
        if (n < 0) {
            counters.inc("srtcp" + srtpDrop(n).substring("srtp".length()));
            return;
        }
        List<RtcpPacket> packets;
        try {
            packets = RtcpPacket.parseCompound(b, 0, n);
        } catch (IllegalArgumentException e) {
            counters.inc("rtcp.drop.malformed");
            return;
        }
        counters.inc("rtcp.rx");
        for (RtcpPacket p : packets) {
            if (p instanceof RtcpPacket.SenderReport sr) {
                Layer x = layersBySsrc.get(sr.senderSsrc());
                if (x != null) {
                    x.onSenderReport(sr.ntpTimestamp(), d.arrivalNanos());
                }
            } else if (p instanceof RtcpPacket.Pli pli) {
                counters.inc("rtcp.rx.pli");
                relayKeyframeRequest(pli.mediaSsrc());
            } else if (p instanceof RtcpPacket.Fir fir) {
                counters.inc("rtcp.rx.fir");
                for (long s : fir.ssrcs()) {
                    relayKeyframeRequest(s);
                }
            } else if (p instanceof RtcpPacket.ReceiverReport rr) {
                long now = SfuCore.ntpNow();
                int videoLoss = -1;
                for (RtcpPacket.ReportBlock block : rr.blocks()) {
                    DownTrack slot = slotsBySsrc.get(block.ssrc());
                    if (slot != null) {
                        roundTrip.onReportBlock(block.lastSr(), block.delaySinceLastSr(), now);
                        Layer forwarded = slot.forwarding();
                        if (slot.kind == MediaKind.VIDEO && slot.hasSent() && forwarded != null) {
                            // What was lost upstream reaches it as loss too: only the rest is its own link's.
                            int own = block.fractionLost() - forwarded.upstreamFractionLost;
                            videoLoss = Math.max(videoLoss, Math.max(0, own));
                        }
                    }
                }
                if (videoLoss >= 0) {
                    budget.onLoss(videoLoss, videoSent.bitsPerSecond(d.arrivalNanos()));
                }
            } else if (p instanceof RtcpPacket.Remb remb) {
                // Chromium sends REMB unasked. Its receive-side estimate needs send times on our packets
                // (abs-send-time, which we do not write) and otherwise only follows what it gets: as a cap it
                // would hold every slot at the layer it has. Honoured only where the answer offered goog-remb.
                if (rembNegotiated) {
                    counters.inc("rtcp.rx.remb");
                    budget.onRemb(remb.bitsPerSecond(), d.arrivalNanos());
                } else {
                    counters.inc("rtcp.rx.remb.ignored");
                }
            } else if (p instanceof RtcpPacket.Nack nack) {
                counters.inc("rtcp.rx.nack");
                answerNack(nack);
            }
        }
    }

    /** A subscriber's PLI/FIR for one of its slots goes to the layer the slot forwards (or is about to). */
    private void relayKeyframeRequest(long downSsrc) {
        DownTrack dt = slotsBySsrc.get(downSsrc);
        Layer layer = dt == null ? null : core.keyframeLayer(dt);
        if (layer != null) {
            core.requestKeyframe(layer);
        }
    }

    private void answerNack(RtcpPacket.Nack nack) {
        DownTrack dt = slotsBySsrc.get(nack.mediaSsrc());
        if (dt == null) {
            counters.inc("sfu.nack.unknown-ssrc");
            return;
        }
        long now = System.nanoTime();
        long rtt = roundTrip.nanos();
        for (int seq : nack.lost()) {
            switch (dt.cache.forResend(seq, now, rtt)) {
                case MISS -> counters.inc("sfu.nack.miss");
                case TOO_SOON -> counters.inc("sfu.nack.suppressed.within-rtt");
                case TOO_OFTEN -> counters.inc("sfu.nack.suppressed.max-resends");
                case SEND -> {
                    byte[] pkt = dt.cache.get(seq);
                    if (pkt == null) {
                        counters.inc("sfu.nack.miss");
                    } else if (!retransmits.tryTake()) {
                        counters.inc("sfu.nack.suppressed.budget");
                    } else {
                        counters.inc("sfu.nack.hit");
                        sendRtpOnly(pkt);
                    }
                }
            }
        }
    }

    private static String srtpDrop(int code) {
        return switch (code) {
            case SrtpContext.AUTH_FAILED -> "srtp.drop.auth";
            case SrtpContext.REPLAYED -> "srtp.drop.replay";
            default -> "srtp.drop.malformed";
        };
    }

    /** Encrypts and sends a plaintext RTP packet to this peer (any thread); it earns retransmission budget. */
    void sendRtp(byte[] plain) {
        retransmits.onForwarded();
        sendRtpOnly(plain);
    }

    private void sendRtpOnly(byte[] plain) {
        SrtpContext ctx = outbound;
        CandidatePair to = ice.selectedPair();
        if (ctx == null || to == null || closed) {
            counters.inc("sfu.drop.subscriber-not-connected");
            return;
        }
        core.mux().send(ctx.protectRtp(plain, 0, plain.length), to);
        counters.inc("sfu.tx.rtp");
    }

    /** Encrypts and sends a plaintext RTCP packet to this peer (any thread). */
    void sendRtcp(byte[] plain) {
        SrtpContext ctx = outbound;
        CandidatePair to = ice.selectedPair();
        if (ctx == null || to == null || closed) {
            return;
        }
        core.mux().send(ctx.protectRtcp(plain, 0, plain.length), to);
        counters.inc("sfu.tx.rtcp");
    }

    @Override
    public String toString() {
        return "Endpoint[" + id + " " + participantId + "@" + group.id + "]";
    }
}
