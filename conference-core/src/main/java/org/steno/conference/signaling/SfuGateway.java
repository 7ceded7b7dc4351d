package org.steno.conference.signaling;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.InvalidSdpException;
import org.steno.conference.media.MediaFrame;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.MediaListener;
import org.steno.conference.media.MediaServer;
import org.steno.conference.media.SlotAssignment;
import org.steno.conference.media.TileSize;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingLimitException;
import org.steno.conference.meeting.MeetingNotActiveException;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;
import org.steno.conference.meeting.TrackSource;
import org.steno.conference.tap.MediaTaps;

/**
 * Joins the SFU media plane ({@link MediaServer}) to meetings: one endpoint per joined
 * participant, its upstream tracks published in the meeting registry, every decrypted RTP
 * packet handed to the meeting's tap with meeting media time, slots and the dominant
 * speaker relayed to signaling. Tap work (Opus decode) leaves the media threads through a
 * bounded single-thread queue; when it is full, packets are dropped for the tap and counted,
 * never for the browsers.
 */
public final class SfuGateway implements MediaGateway, MediaListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SfuGateway.class);

    private final MediaServer media;
    private final MeetingRegistry registry;
    private final MediaTaps taps;
    private final SignalingHub hub;
    private final Map<String, Binding> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Mapped> byMediaTrack = new ConcurrentHashMap<>();
    /**
     * The last slots announced to an endpoint while one of their sources was not mapped to a meeting track yet
     * (the SFU can assign a source the moment its packets come, before its track is published): they are said
     * again once it is, or a page would never learn whom that slot shows.
     */
    private final Map<String, List<SlotAssignment>> unresolvedSlots = new ConcurrentHashMap<>();
    private final AtomicLong tapDrops = new AtomicLong();
    private final ThreadPoolExecutor tapWorker;

    private record Binding(String meetingId, String participantId, MediaCallbacks callbacks, Endpoint endpoint,
                           boolean sharedMicrophone) {
    }

    private record Mapped(String meetingId, String trackId, RtpMediaClock clock) {
    }

    public SfuGateway(MediaServer media, MeetingRegistry registry, MediaTaps taps, SignalingHub hub) {
        this.media = media;
        this.registry = registry;
        this.taps = taps;
        this.hub = hub;
        this.tapWorker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096), r -> {
            Thread t = new Thread(r, "media-tap-decode");
            t.setDaemon(true);
            return t;
        }, (r, ex) -> tapDrops.incrementAndGet());
        media.addListener(this);
    }

    /** Packets the tap could not keep up with (dropped for the tap only). */
    public long tapDrops() {
        return tapDrops.get();
    }

    @Override
    public MediaSession open(String meetingId, String participantId, MediaCallbacks callbacks) {
        return open(meetingId, participantId, false, callbacks);
    }

    @Override
    public MediaSession open(String meetingId, String participantId, boolean sharedMicrophone, MediaCallbacks callbacks) {
        Endpoint ep = media.createEndpoint(meetingId, participantId);
        byEndpoint.put(ep.id(), new Binding(meetingId, participantId, callbacks, ep, sharedMicrophone));
        return new MediaSession() {
            @Override
            public String answer(String offerSdp) throws OfferRejectedException {
                try {
                    return media.answer(ep, offerSdp);
                } catch (InvalidSdpException e) {
                    throw new OfferRejectedException(e.getMessage());
                } catch (IllegalStateException e) {
                    throw new OfferRejectedException("the media connection is closed; rejoin the meeting");
                }
            }

            @Override
            public void limitVideo(int max) {
                ep.limitVideo(max);
            }

            @Override
            public void pin(List<String> participantIds) {
                ep.pin(participantIds);
            }

            @Override
            public void tileSizes(Map<String, TileSize> sizesByMid) {
                ep.tileSizes(sizesByMid);
            }

            @Override
            public void close() {
                ep.close();
            }
        };
    }

    /** The endpoint of a participant (tests drive the listener with it). */
    Endpoint endpointOf(String participantId) {
        return byEndpoint.values().stream().filter(b -> b.participantId().equals(participantId))
                .map(Binding::endpoint).findFirst().orElse(null);
    }

    @Override
    public void onTrack(Endpoint endpoint, TrackInfo t) {
        Binding b = byEndpoint.get(endpoint.id());
        Meeting m = b == null ? null : registry.get(b.meetingId()).orElse(null);
        if (m == null) {
            return;
        }
        boolean audio = t.kind() == MediaKind.AUDIO;
        try {
            Track tr = m.publish(b.participantId(), audio ? TrackKind.AUDIO : TrackKind.VIDEO,
                    audio ? TrackSource.MICROPHONE : t.screenShare() ? TrackSource.SCREEN : TrackSource.CAMERA,
                    t.kind().sdpName() + "/" + t.codec(),
                    audio && b.sharedMicrophone());
            byMediaTrack.put(t.trackId(), new Mapped(m.id(), tr.id(), new RtpMediaClock(t.clockRate())));
            for (Map.Entry<String, List<SlotAssignment>> e : unresolvedSlots.entrySet()) {
                if (e.getValue().stream().anyMatch(s -> t.trackId().equals(s.sourceTrackId()))) {
                    Binding waiting = byEndpoint.get(e.getKey());
                    if (waiting != null) {
                        announceSlots(waiting, e.getValue(), true);
                    }
                }
            }
        } catch (MeetingLimitException | MeetingNotActiveException e) {
            LOG.info("track {} of {} not published: {}", t.trackId(), b.participantId(), e.getMessage());
        }
    }

    @Override
    public void onTrackEnded(Endpoint endpoint, TrackInfo t) {
        Mapped mapped = byMediaTrack.remove(t.trackId());
        if (mapped != null) {
            registry.get(mapped.meetingId()).ifPresent(m -> m.unpublish(mapped.trackId()));
        }
    }

    @Override
    public void onRtp(MediaFrame f) {
        Mapped mapped = byMediaTrack.get(f.track().trackId());
        if (mapped == null) {
            return;
        }
        Meeting m = registry.get(mapped.meetingId()).orElse(null);
        if (m == null) {
            return;
        }
        Duration mediaTime = mapped.clock().mediaTime(f.rtpTimestamp(), m.mediaTimeAt(f.arrivalNanos()));
        tapWorker.execute(() -> taps.tap(mapped.meetingId()).ifPresent(tap -> {
            try {
                tap.pushPacket(mapped.trackId(), (int) f.extendedSeq(), f.rtpTimestamp(), f.marker(), mediaTime, f.payload());
            } catch (RuntimeException e) {
                LOG.warn("tap of track {} failed", mapped.trackId(), e);
            }
        }));
    }

    @Override
    public void onConnected(Endpoint endpoint) {
        Binding b = byEndpoint.get(endpoint.id());
        if (b != null) {
            b.callbacks().connected();
        }
    }

    @Override
    public void onRenegotiationNeeded(Endpoint endpoint, int audio, int video) {
        Binding b = byEndpoint.get(endpoint.id());
        if (b != null) {
            b.callbacks().renegotiate(audio, video);
        }
    }

    @Override
    public void onSlotsChanged(Endpoint endpoint, List<SlotAssignment> slots) {
        Binding b = byEndpoint.get(endpoint.id());
        if (b == null) {
            return;
        }
        announceSlots(b, slots, false);
    }

    /** Sends an endpoint its slots; {@code again}: a repeat of unresolved ones, skipped if newer slots went out meanwhile. */
    private void announceSlots(Binding b, List<SlotAssignment> slots, boolean again) {
        String id = b.endpoint().id();
        synchronized (b) {
            if (again && unresolvedSlots.get(id) != slots) {
                return;
            }
            List<MediaSlot> out = new ArrayList<>();
            boolean unresolved = false;
            for (SlotAssignment s : slots) {
                Mapped mapped = s.sourceTrackId() == null ? null : byMediaTrack.get(s.sourceTrackId());
                unresolved |= s.sourceTrackId() != null && mapped == null;
                out.add(new MediaSlot(s.mid(), s.kind().sdpName(), mapped == null ? null : mapped.trackId(),
                        mapped == null ? null : s.sourceParticipantId()));
            }
            if (unresolved) {
                unresolvedSlots.put(id, slots);
            } else {
                unresolvedSlots.remove(id);
            }
            b.callbacks().slots(out);
        }
    }

    @Override
    public void onDominantSpeaker(String groupId, String participantId) {
        hub.dominantSpeaker(groupId, participantId);
    }

    @Override
    public void onEndpointClosed(Endpoint endpoint, String reason) {
        Binding b = byEndpoint.remove(endpoint.id());
        unresolvedSlots.remove(endpoint.id());
        if (b != null && !"closed".equals(reason)) {
            b.callbacks().closed(reason);
        }
    }

    @Override
    public void close() {
        media.removeListener(this);
        tapWorker.shutdownNow();
    }
}
