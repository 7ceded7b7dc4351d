package org.steno.conference.media.sfu;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.MediaFrame;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.MediaListener;
import org.steno.conference.media.MediaSettings;
import org.steno.conference.media.dtls.DtlsCertificate;
import org.steno.conference.media.dtls.DtlsSession;
import org.steno.conference.media.ice.HostCandidates;
import org.steno.conference.media.mux.Counters;
import org.steno.conference.media.mux.Datagram;
import org.steno.conference.media.mux.LocalAddresses;
import org.steno.conference.media.mux.OnePortBinder;
import org.steno.conference.media.mux.UdpMux;
import org.steno.conference.media.rtcp.RtcpPacket;
import org.steno.conference.media.rtcp.RtcpWriter;
import org.steno.conference.media.rtp.RtpPacket;
import org.steno.conference.media.rtp.Vp8Descriptor;

/**
 * The media plane behind {@code MediaServer}: the shared port (a socket per local address), the worker pool, the timer, endpoints and their
 * forwarding groups. Rooms, names and signalling live elsewhere; this knows endpoints, tracks and slots only.
 */
public final class SfuCore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SfuCore.class);
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;
    /** A slot's simulcast layer goes up at most this often (down at once). */
    static final long UPGRADE_DWELL_NANOS = 2_000_000_000L;

    private final MediaSettings settings;
    private final Counters counters = new Counters();
    private final ForwardingDelay forwardingDelay = new ForwardingDelay();
    private final UdpMux mux;
    private final List<String> candidateAddresses;
    private final DtlsCertificate certificate;
    private final ExecutorService workers;
    private final ThreadPoolExecutor handshakes;
    private final ScheduledExecutorService timer;
    private final List<MediaListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, SfuEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public SfuCore(MediaSettings settings) throws IOException {
        this.settings = settings;
        this.certificate = DtlsCertificate.generate();
        DtlsSession.warmUp();
        List<InetAddress> local = LocalAddresses.forBindHost(settings.bindHost());
        this.mux = new UdpMux(OnePortBinder.bind(local, settings.port(), counters), counters);
        this.candidateAddresses = HostCandidates.addresses(local, settings.advertisedAddress());
        this.workers = Executors.newFixedThreadPool(settings.workers(), daemon("media-worker"));
        // A handshake blocks its thread until done (BouncyCastle's API), so allow many at once; idle threads die.
        // (core = max: with a bounded queue a ThreadPoolExecutor only grows past core when the queue is full.)
        this.handshakes = new ThreadPoolExecutor(32, 32, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(512),
                daemon("media-dtls"));
        handshakes.allowCoreThreadTimeOut(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("media-timer"));
        mux.start();
        timer.scheduleWithFixedDelay(guard(this::everySecond), 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(guard(this::audioTick), 200, 200, TimeUnit.MILLISECONDS);
    }

    private Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                counters.inc("timer.error");
                LOG.warn("media timer task failed; it keeps running", e);
            }
        };
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    // ------------------------------------------------------------ accessors

    public Counters counters() {
        return counters;
    }

    /** Socket read to send of every forwarded packet since the previous call ({@link ForwardingDelay}). */
    public org.steno.conference.media.DelaySummary forwardingDelaySinceLastRead() {
        return forwardingDelay.sinceLastRead();
    }

    UdpMux mux() {
        return mux;
    }

    ExecutorService workers() {
        return workers;
    }

    ThreadPoolExecutor handshakes() {
        return handshakes;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** The addresses written into SDP host candidates, best first. */
    public List<String> candidateAddresses() {
        return candidateAddresses;
    }

    /** The local addresses the media sockets are bound to. */
    public List<InetSocketAddress> localAddresses() {
        return mux.localAddresses();
    }

    public int port() {
        return mux.port();
    }

    public Collection<SfuEndpoint> endpoints() {
        return endpoints.values();
    }

    public boolean isReaderAlive() {
        return mux.isReaderAlive();
    }

    public void addListener(MediaListener l) {
        listeners.add(l);
    }

    public void removeListener(MediaListener l) {
        listeners.remove(l);
    }

    public String dominantSpeaker(String groupId) {
        Group g = groups.get(groupId);
        return g == null ? null : g.dominantSpeaker();
    }

    private void fire(Consumer<MediaListener> call) {
        for (MediaListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                counters.inc("listener.error");
                LOG.warn("media listener failed; ignored", e);
            }
        }
    }

    // ------------------------------------------------------------ endpoints

    public SfuEndpoint createEndpoint(String groupId, String participantId) {
        if (closed) {
            throw new IllegalStateException("the media server is stopped");
        }
        if (groupId == null || groupId.isBlank() || participantId == null || participantId.isBlank()) {
            throw new IllegalArgumentException("groupId and participantId must not be blank");
        }
        Group g = groups.computeIfAbsent(groupId, Group::new);
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        SfuEndpoint e = new SfuEndpoint(id, participantId, g, this);
        endpoints.put(id, e);
        synchronized (g) {
            g.endpoints.add(e);
        }
        mux.registerUfrag(e.ice.localUfrag(), e.queue);
        counters.inc("endpoint.created");
        return e;
    }

    public String answer(SfuEndpoint e, String offer) throws InvalidSdpException {
        List<Receiver> added = new ArrayList<>();
        List<Receiver> removed = new ArrayList<>();
        String answer;
        try {
            answer = e.answer(offer, added, removed);
        } catch (InvalidSdpException ex) {
            counters.inc("sdp.rejected");
            throw ex;
        } catch (RuntimeException ex) {
            counters.inc("sdp.rejected");
            LOG.debug("unexpected SDP failure", ex);
            throw new InvalidSdpException("the offer could not be parsed");
        }
        counters.inc("sdp.answered");
        e.slotTarget.offered(e.slotCounts());
        for (Receiver r : removed) {
            fire(l -> l.onTrackEnded(e, r.info));
        }
        for (Receiver r : added) {
            fire(l -> l.onTrack(e, r.info));
        }
        rebalance(e.group());
        return answer;
    }

    public void closeEndpoint(SfuEndpoint e, String reason) {
        if (endpoints.remove(e.id()) == null) {
            return;
        }
        List<Receiver> gone = e.receivers();
        e.shutdown();
        mux.unregister(e.queue);
        Group g = e.group();
        synchronized (g) {
            g.endpoints.remove(e);
            if (g.endpoints.isEmpty()) {
                groups.remove(g.id, g);
            }
        }
        counters.inc("endpoint.closed." + reason);
        for (Receiver r : gone) {
            fire(l -> l.onTrackEnded(e, r.info));
        }
        fire(l -> l.onEndpointClosed(e, reason));
        rebalance(g);
    }

    /**
     * Decides, for every endpoint of the group, which sources its fixed receive slots carry: the top-N loudest
     * audio ({@link TopNSelector}) and last-N video ({@link LastNSelector}), placed with as few switches as possible
     * ({@link SlotAllocator}); asks a keyframe of each video source that a slot switches to; and asks the page for
     * the slots it lacks, as an absolute target ({@link SlotTarget}) bounded by top-N and last-N, so a subscriber's
     * offer stays the same size whether the meeting has 4 participants or 150. Idempotent: called on every offer,
     * departure, pin and audio tick; only changes fire events.
     */
    void rebalance(Group g) {
        List<Layer> keyframes = new ArrayList<>();
        long now = System.nanoTime();
        synchronized (g) {
            List<Receiver> audio = new ArrayList<>();
            List<Receiver> video = new ArrayList<>();
            for (Receiver r : g.receivers()) {
                (r.kind() == MediaKind.AUDIO ? audio : video).add(r);
            }
            TopNSelector.Ranking audioRanked = TopNSelector.rank(audio, now);
            List<Receiver> videoRanked = LastNSelector.rank(video, g.speakerOrder());
            for (SfuEndpoint s : g.endpoints) {
                if (s.isClosed()) {
                    continue;
                }
                String who = s.participantId();
                int lastN = Math.min(settings.videoLastN(), s.videoLimit());
                List<DownTrack> audioSlots = s.slotsOf(MediaKind.AUDIO);
                List<DownTrack> videoSlots = s.slotsOf(MediaKind.VIDEO);
                List<Receiver> hearing = new ArrayList<>();
                for (DownTrack d : audioSlots) {
                    if (d.source() != null) {
                        hearing.add(d.source());
                    }
                }
                List<Receiver> hear = TopNSelector.select(audioRanked, who, hearing,
                        Math.min(settings.audioTopN(), audioSlots.size()));
                List<Receiver> see = LastNSelector.select(videoRanked, who, s.pins(), Math.min(lastN, videoSlots.size()));
                List<SlotAllocator.Switch> switches = new ArrayList<>(SlotAllocator.allocate(audioSlots, hear));
                switches.addAll(SlotAllocator.allocate(videoSlots, see));
                for (SlotAllocator.Switch sw : switches) {
                    s.bind(sw.slot(), sw.to());
                    counters.inc("sfu.slot.switch." + sw.slot().kind.sdpName());
                    if (sw.needsKeyframe() && !sw.to().simulcast()) {
                        keyframes.add(sw.to().primary()); // a simulcast source: its layer is asked for below
                    }
                }
                selectLayers(s, now, keyframes);
                if (!switches.isEmpty()) {
                    var slots = s.slots();
                    fire(l -> l.onSlotsChanged(s, slots));
                }
                SlotTarget.Counts wanted = new SlotTarget.Counts(
                        Math.min(settings.audioTopN(), othersIn(audio, who)), Math.min(lastN, othersIn(video, who)));
                SlotTarget.Counts ask = s.slotTarget.next(wanted, s.slotCounts(), now);
                if (ask != null) {
                    counters.inc("sfu.renegotiate");
                    fire(l -> l.onRenegotiationNeeded(s, ask.audio(), ask.video()));
                }
            }
        }
        for (Layer l : keyframes) {
            requestKeyframe(l);
        }
    }

    /**
     * Chooses the simulcast layer of each of the subscriber's video slots ({@link LayerSelector}: the tile's height,
     * then the slot's share of the subscriber's {@link SubscriberBudget}) and collects the layers to ask a keyframe
     * of: a new target at once, a target still awaited once a second (the move happens only at its keyframe).
     */
    private void selectLayers(SfuEndpoint s, long now, List<Layer> keyframes) {
        List<DownTrack> simulcastSlots = new ArrayList<>();
        for (DownTrack d : s.slotsOf(MediaKind.VIDEO)) {
            Receiver src = d.source();
            if (src != null && src.simulcast()) {
                simulcastSlots.add(d);
            }
        }
        if (simulcastSlots.isEmpty()) {
            return;
        }
        long budget = s.budget.bitsPerSecond(now);
        long perSlot = budget == Long.MAX_VALUE ? budget : budget / simulcastSlots.size();
        for (DownTrack d : simulcastSlots) {
            Receiver src = d.source();
            int current = d.targetLayer();
            int t = LayerSelector.select(LayerSelector.candidates(src.layers(), now), d.tile, perSlot, current);
            if (t < 0) {
                continue;
            }
            if (current >= 0 && t > current && now - d.targetChangedNanos < UPGRADE_DWELL_NANOS
                    && src.layers()[current].active(now)) {
                continue; // up again only after a while: a rate near the budget must not flip layers each tick
            }
            boolean changed = d.target(t);
            if (changed) {
                LOG.debug("{} slot {}: layer {} of {} (tile {}, budget {} b/s)", s, d.mid, t, src.info.trackId(), d.tile,
                        perSlot);
                counters.inc("sfu.simulcast.target");
            }
            if (d.awaitingLayer() && (changed || now - d.keyframeAskedNanos > 1_000_000_000L)) {
                d.keyframeAskedNanos = now;
                keyframes.add(src.layers()[t]);
            }
        }
    }

    /** The tile sizes a page reports changed: choose the layers again now rather than at the next tick. */
    void onTileSizes(SfuEndpoint s) {
        List<Layer> keyframes = new ArrayList<>();
        synchronized (s.group()) {
            selectLayers(s, System.nanoTime(), keyframes);
        }
        for (Layer l : keyframes) {
            requestKeyframe(l);
        }
    }

    /** The layer a keyframe request for this slot concerns: the one it waits for, else the one it forwards. */
    Layer keyframeLayer(DownTrack d) {
        Receiver src = d.source();
        if (src == null) {
            return null;
        }
        if (!src.simulcast()) {
            return src.primary();
        }
        if (d.awaitingLayer()) {
            return src.layers()[d.targetLayer()];
        }
        return d.forwarding();
    }

    /** Sources not published by {@code participantId}. */
    private static int othersIn(List<Receiver> sources, String participantId) {
        int n = 0;
        for (Receiver r : sources) {
            if (!participantId.equals(r.info.participantId())) {
                n++;
            }
        }
        return n;
    }

    void onConnected(SfuEndpoint e) {
        fire(l -> l.onConnected(e));
        // New subscriber: ask every publisher it receives video from for a keyframe.
        for (DownTrack d : e.downTracks()) {
            Layer l = d.kind == MediaKind.VIDEO ? keyframeLayer(d) : null;
            if (l != null) {
                requestKeyframe(l);
            }
        }
        // New publisher: its subscribers need a keyframe from it (every layer) as soon as it can hear us.
        for (Receiver r : e.receivers()) {
            if (r.kind() == MediaKind.VIDEO) {
                for (Layer l : r.layers()) {
                    requestKeyframe(l);
                }
            }
        }
    }

    /**
     * A listener's keyframe request for a video track of a group: to the layer its listeners get
     * (simulcast), else to every layer. False when the group publishes no such video track.
     */
    public boolean requestKeyframe(String groupId, String trackId) {
        for (SfuEndpoint e : endpoints()) {
            if (!e.groupId().equals(groupId)) {
                continue;
            }
            for (Receiver r : e.receivers()) {
                if (r.kind() != MediaKind.VIDEO || !r.info.trackId().equals(trackId)) {
                    continue;
                }
                counters.inc("sfu.keyframe.listener-asked");
                Layer followed = r.tap == null ? null : r.tap.followed();
                if (followed != null) {
                    requestKeyframe(followed);
                } else {
                    for (Layer l : r.layers()) {
                        requestKeyframe(l);
                    }
                }
                return true;
            }
        }
        return false;
    }

    /**
     * PLI to the publisher of {@code r}, at most one per 500 ms per track; a request inside that window is made at
     * its end (once, however many came), so a storm of PLIs from subscribers becomes one per window and a slot that
     * switched just after another's request still gets its keyframe.
     */
    void requestKeyframe(Layer r) {
        if (r.ssrc < 0 || !r.receiver.publisher.isConnected()) {
            return;
        }
        long now = System.nanoTime();
        if (!r.allowKeyframeRequest(now)) {
            counters.inc("sfu.pli.rate-limited");
            long wait = r.deferKeyframeRequest(now);
            if (wait >= 0 && !closed) {
                try {
                    timer.schedule(guard(() -> {
                        r.deferredKeyframeRequestDue();
                        requestKeyframe(r);
                    }), wait, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException stopping) {
                    // the server is stopping
                }
            }
            return;
        }
        SfuEndpoint publisher = r.receiver.publisher;
        publisher.sendRtcp(RtcpWriter.pli(publisher.rtcpSsrc, r.ssrc));
        counters.inc("sfu.tx.pli");
    }

    // ------------------------------------------------------------ media path

    void onUpstreamRtp(Layer layer, RtpPacket p, long extSeq, int level, Datagram d) {
        Receiver r = layer.receiver;
        Vp8Descriptor vp8 = r.vp8 ? Vp8Descriptor.parse(p.buffer(), p.payloadOffset(), p.payloadLength()) : null;
        if (vp8 != null && vp8.keyframe()) {
            counters.inc("rtp.rx.keyframe");
            if (vp8.height() > 0) {
                layer.width = vp8.width();
                layer.height = vp8.height();
            }
        }
        if (!listeners.isEmpty()) {
            long seq = extSeq;
            long ts = p.timestamp();
            boolean toListeners = true;
            if (r.tap != null) { // simulcast: the listeners get one layer, renumbered across its moves
                RtpMunger.Munged m = r.tap.map(layer, vp8, extSeq, ts, p.payloadLength() == 0, d.arrivalNanos());
                Layer wanted = r.tap.keyframeWanted(d.arrivalNanos());
                if (wanted != null) {
                    requestKeyframe(wanted);
                }
                toListeners = m != null;
                if (m != null) {
                    seq = m.extendedSeq();
                    ts = m.timestamp();
                }
            }
            if (toListeners) {
                MediaFrame f = new MediaFrame(r.info, seq, ts, p.marker(), p.payload(), d.arrivalNanos(),
                        d.arrivalMillis(), level);
                fire(l -> l.onRtp(f));
            }
        }
        boolean audio = r.kind() == MediaKind.AUDIO;
        // Only the subscribers whose selection holds this track: the rest have no slot for it (top-N, last-N).
        List<DownTrack> sinks = r.downTracks;
        if (sinks.isEmpty()) {
            counters.inc(audio ? "sfu.drop.not-selected.audio" : "sfu.drop.not-selected.video");
            return;
        }
        for (DownTrack dt : sinks) {
            SfuEndpoint s = dt.subscriber;
            if (s == r.publisher || s.isClosed()) {
                continue;
            }
            if (!s.isConnected()) {
                // Not rewritten: a sequence number spent on a packet never sent would show as loss to it.
                counters.inc("sfu.drop.subscriber-not-connected");
                continue;
            }
            byte[] out = dt.rewrite(layer, p, vp8, extSeq, level, d.arrivalNanos());
            if (out == null) {
                counters.inc(r.simulcast() && dt.forwarding() != layer ? "sfu.drop.other-layer"
                        : p.payloadLength() == 0 ? "sfu.drop.padding" : "sfu.drop.munger");
                continue;
            }
            if (!audio) {
                s.videoSent.add(out.length, d.arrivalNanos());
            }
            s.sendRtp(out);
            forwardingDelay.sent(d.arrivalNanos());
            counters.inc(audio ? "sfu.forward.audio" : "sfu.forward.video");
        }
    }

    // ------------------------------------------------------------ timers

    private void everySecond() {
        long now = System.nanoTime();
        long consentNanos = settings.consentTimeout().toNanos();
        for (SfuEndpoint e : endpoints.values()) {
            if (e.ice.nanosSinceLastValidCheck() > consentNanos) {
                LOG.info("{}: no valid STUN check for {} s; closing", e, settings.consentTimeout().toSeconds());
                closeEndpoint(e, "consent-timeout");
                continue;
            }
            if (!e.isConnected()) {
                continue;
            }
            List<RtcpPacket.ReportBlock> blocks = new ArrayList<>();
            for (Receiver r : e.receivers()) {
                for (Layer l : r.layers()) {
                    RtcpPacket.ReportBlock b = l.ssrc < 0 ? null : l.reportBlock(now);
                    if (b != null) {
                        blocks.add(b);
                    }
                }
            }
            if (!blocks.isEmpty()) {
                e.sendRtcp(RtcpWriter.receiverReport(e.rtcpSsrc, blocks));
                counters.inc("sfu.tx.rr");
            }
            long ntp = ntpNow();
            for (DownTrack d : e.downTracks()) {
                if (d.hasSent()) {
                    long pk;
                    long oc;
                    synchronized (d) {
                        pk = d.packetsSent;
                        oc = d.octetsSent;
                    }
                    e.sendRtcp(RtcpWriter.senderReport(d.ssrc, ntp, d.rtpTimestampAt(now), pk, oc));
                    counters.inc("sfu.tx.sr");
                }
            }
        }
    }

    /** Every 200 ms: the dominant speaker, then the slots (top-N follows loudness, last-N the speaker order). */
    private void audioTick() {
        long now = System.nanoTime();
        for (Group g : groups.values()) {
            String changed = g.tick(now);
            if (changed != null) {
                String who = changed.isEmpty() ? null : changed;
                fire(l -> l.onDominantSpeaker(g.id, who));
            }
            rebalance(g);
        }
    }

    static long ntpNow() {
        long ms = System.currentTimeMillis();
        long seconds = ms / 1000 + NTP_EPOCH_OFFSET;
        long fraction = ((ms % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    // ------------------------------------------------------------ shutdown

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        for (SfuEndpoint e : new ArrayList<>(endpoints.values())) {
            closeEndpoint(e, "server-stopped");
        }
        mux.close();
        workers.shutdownNow();
        handshakes.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
            handshakes.awaitTermination(2, TimeUnit.SECONDS);
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
