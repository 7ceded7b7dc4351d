package org.steno.conference.tap;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;
import org.steno.conference.meeting.TrackKind;

/**
 * The tap of one meeting: every audio track's PCM (16 kHz mono, ≤ 100 ms frames, per-track
 * sequence numbers, media time) plus the mix, the participant and track events around them,
 * and a ring buffer of the last {@link TapSettings#ringSpan()} for subscribers that resume.
 * Subscribers are called under this tap's lock, in order; lock order is meeting, then tap.
 */
public final class MeetingTap {

    /** Track id of the mix of all speakers. */
    public static final String MIX_TRACK_ID = "mix";

    private static final Logger LOG = LoggerFactory.getLogger(MeetingTap.class);

    private final Meeting meeting;
    private final TapSettings settings;
    private final Object lock = new Object();
    private final ArrayDeque<TapEvent> ring = new ArrayDeque<>();
    /** Something has left the ring (before that, it holds the whole meeting). */
    private boolean trimmed;
    private final Map<String, TrackTap> tracks = new HashMap<>();
    private final Map<String, Participant> participants = new HashMap<>();
    private final List<TapSubscriber> subscribers = new ArrayList<>();
    private final List<PacketListener> packetListeners = new CopyOnWriteArrayList<>();
    private final Mixer mixer;
    private Duration liveEdge = Duration.ZERO;
    private boolean ended;

    MeetingTap(Meeting meeting, TapSettings settings) {
        this.meeting = meeting;
        this.settings = settings;
        this.mixer = new Mixer(settings.mixDelay(), Duration.ofSeconds(1));
        synchronized (meeting) {
            for (Participant p : meeting.participants()) {
                participants.put(p.id(), p);
            }
            for (Track t : meeting.tracks()) {
                if (t.kind() == TrackKind.AUDIO) {
                    tracks.put(t.id(), new TrackTap(t));
                }
            }
        }
    }

    public Meeting meeting() {
        return meeting;
    }

    public String meetingId() {
        return meeting.id();
    }

    // ---- producers ------------------------------------------------------------------

    /**
     * Publishes decoded 16 kHz mono PCM of an audio track, split into frames of at most
     * 100 ms. Returns false (and drops the audio) when the track is unknown, muted or not audio.
     */
    public boolean pushPcm(String trackId, short[] samples, Duration mediaTime, boolean concealed) {
        synchronized (lock) {
            TrackTap t = tracks.get(trackId);
            if (ended || t == null || t.track.muted()) {
                return false;
            }
            for (int off = 0; off < samples.length; off += PcmFrame.MAX_SAMPLES) {
                int len = Math.min(PcmFrame.MAX_SAMPLES, samples.length - off);
                short[] part = java.util.Arrays.copyOfRange(samples, off, off + len);
                Duration at = mediaTime.plusNanos(off * 1_000_000_000L / PcmFrame.SAMPLE_RATE);
                Participant p = participants.get(t.track.participantId());
                PcmFrame f = new PcmFrame(trackId, t.track.participantId(), p == null ? "" : p.identity(),
                        p == null ? "" : p.displayName(), false, t.sequence++, at, part, concealed,
                        PcmFrame.levelDbov(part, 0, len));
                publish(f, true);
                for (PcmFrame m : mixer.add(trackId, at, part, Mixer.samples(meeting.mediaTime()))) {
                    publish(m, true);
                }
            }
            return true;
        }
    }

    /**
     * Publishes one decrypted RTP payload of a track: packet listeners (the recorder) get it
     * as is; Opus audio is also decoded into the PCM tap. A packet Opus cannot decode is
     * dropped with a log line, never an exception to the media path.
     */
    public void pushPacket(String trackId, int rtpSequence, long rtpTimestamp, boolean marker, Duration mediaTime,
                           byte[] payload) {
        TrackTap t;
        Track track;
        synchronized (lock) {
            t = tracks.get(trackId);
            track = t == null ? null : t.track;
        }
        if (track == null) {
            // Video (not kept in the audio map). Asked outside the tap lock: the lock order is
            // meeting, then tap, and taking the meeting's lock under ours could deadlock.
            track = meeting.track(trackId).orElse(null);
        }
        if (track == null) {
            return;
        }
        long seq;
        synchronized (lock) {
            seq = t == null ? -1 : t.packetSequence++;
        }
        MediaPacket packet = new MediaPacket(meeting.id(), track.participantId(), trackId, track.kind(), track.codec(),
                rtpSequence & 0xFFFF, rtpTimestamp & 0xFFFFFFFFL, marker, seq, mediaTime, payload);
        for (PacketListener l : packetListeners) {
            try {
                l.onPacket(packet);
            } catch (RuntimeException e) {
                LOG.warn("packet listener {} failed on {}", l, trackId, e);
            }
        }
        // A muted track yields no PCM, so its packets are not worth decoding.
        if (t != null && !track.muted() && track.kind() == TrackKind.AUDIO && track.codec().equalsIgnoreCase("audio/opus")) {
            decodeOpus(t, mediaTime, payload);
        }
    }

    private void decodeOpus(TrackTap t, Duration mediaTime, byte[] payload) {
        DecodedPcm pcm;
        synchronized (t) {
            try {
                pcm = t.decode(mediaTime, payload);
            } catch (IllegalArgumentException e) {
                LOG.debug("meeting {} track {}: {}", meeting.id(), t.track.id(), e.getMessage());
                return;
            }
        }
        if (pcm.samples.length > 0) {
            pushPcm(t.track.id(), pcm.samples, pcm.mediaTime, false);
        }
    }

    public void addPacketListener(PacketListener l) {
        packetListeners.add(l);
    }

    public void removePacketListener(PacketListener l) {
        packetListeners.remove(l);
    }

    // ---- consumers ------------------------------------------------------------------

    /**
     * Starts a subscription: {@code started}, then the replayed events from the ring (when
     * {@code resumeFrom} is set), then live events, all in order.
     */
    public void subscribe(TapSubscriber s, Duration resumeFrom) {
        synchronized (meeting) {
            synchronized (lock) {
                Duration edge = maxDuration(meeting.mediaTime(), liveEdge);
                Duration bufferStart = bufferStart(edge);
                List<TapEvent> replay = new ArrayList<>();
                Duration effective = edge;
                boolean satisfied = true;
                if (resumeFrom != null && resumeFrom.compareTo(edge) < 0) {
                    satisfied = resumeFrom.compareTo(bufferStart) >= 0;
                    for (TapEvent e : ring) {
                        Duration end = e instanceof PcmFrame f ? f.mediaEnd() : e.mediaTime().plusNanos(1);
                        if (end.compareTo(resumeFrom) > 0) {
                            replay.add(e);
                        }
                    }
                    effective = replay.stream().filter(e -> e instanceof PcmFrame).map(TapEvent::mediaTime)
                            .findFirst().orElse(satisfied ? resumeFrom : bufferStart);
                }
                // Added first (no live event can come in between: we hold the lock), so a
                // subscriber that gives up during its replay is really removed by unsubscribe.
                if (!ended) {
                    subscribers.add(s);
                }
                s.started(new TapStart(resumeFrom, effective, bufferStart, satisfied,
                        meeting.participants(), meeting.tracks()));
                for (TapEvent e : replay) {
                    s.onReplay(e);
                }
                if (ended) {
                    s.onEvent(new TapEvent.MeetingEnd(EndReason.ENDED_BY_HOST, meeting.mediaTime()));
                }
            }
        }
    }

    public void unsubscribe(TapSubscriber s) {
        synchronized (lock) {
            subscribers.remove(s);
        }
    }

    /** The fullest subscriber's send buffer, 0–100 (0 without subscribers). */
    public int maxBacklogPercent() {
        synchronized (lock) {
            int max = 0;
            for (TapSubscriber s : subscribers) {
                max = Math.max(max, s.backlogPercent());
            }
            return max;
        }
    }

    public int subscriberCount() {
        synchronized (lock) {
            return subscribers.size();
        }
    }

    /** Oldest media time still held in the ring (0 while nothing has left it; else the live edge when it is empty). */
    public Duration bufferStart() {
        synchronized (lock) {
            return bufferStart(maxDuration(meeting.mediaTime(), liveEdge));
        }
    }

    /** Media time of the newest audio or the meeting clock, whichever is later. */
    public Duration liveEdge() {
        synchronized (lock) {
            return maxDuration(meeting.mediaTime(), liveEdge);
        }
    }

    // ---- registry events (called by MediaTaps under the meeting's lock) -------------

    void participantChanged(TapEvent.ParticipantChange.Kind kind, Participant p, LeaveReason reason) {
        synchronized (lock) {
            if (kind == TapEvent.ParticipantChange.Kind.LEFT) {
                participants.remove(p.id());
            } else {
                participants.put(p.id(), p);
            }
            publish(new TapEvent.ParticipantChange(kind, p, reason, meeting.mediaTime()), true);
        }
    }

    void trackChanged(TapEvent.TrackChange.Kind kind, Track track) {
        synchronized (lock) {
            if (track.kind() == TrackKind.AUDIO) {
                switch (kind) {
                    case PUBLISHED -> {
                        tracks.put(track.id(), new TrackTap(track));
                        if (!track.muted()) {
                            mixer.addTrack(track.id(), Mixer.samples(meeting.mediaTime()));
                        }
                    }
                    case UNPUBLISHED -> {
                        tracks.remove(track.id());
                        flushMix(mixerRemove(track.id()));
                    }
                    case MUTED, UNMUTED -> {
                        TrackTap t = tracks.get(track.id());
                        if (t != null) {
                            t.track = track;
                        }
                        if (track.muted()) {
                            flushMix(mixerRemove(track.id()));
                        } else {
                            mixer.addTrack(track.id(), Mixer.samples(meeting.mediaTime()));
                        }
                    }
                }
            }
            publish(new TapEvent.TrackChange(kind, track, meeting.mediaTime()), true);
        }
    }

    void meetingChanged() {
        synchronized (lock) {
            publish(new TapEvent.MeetingChange(meeting.mediaTime()), false);
        }
    }

    void ended(EndReason reason) {
        synchronized (lock) {
            flushMix(mixer.drain());
            ended = true;
            TapEvent end = new TapEvent.MeetingEnd(reason, meeting.mediaTime());
            for (TapSubscriber s : List.copyOf(subscribers)) {
                deliver(s, end);
            }
            subscribers.clear();
        }
    }

    /** Heartbeat and clock-driven mix release. */
    void tick() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            flushMix(mixer.release(Mixer.samples(meeting.mediaTime())));
            Duration edge = maxDuration(meeting.mediaTime(), liveEdge);
            TapEvent hb = new TapEvent.Heartbeat(edge, bufferStart(edge));
            for (TapSubscriber s : List.copyOf(subscribers)) {
                deliver(s, hb);
            }
        }
    }

    // ---- internals ------------------------------------------------------------------

    private List<PcmFrame> mixerRemove(String trackId) {
        mixer.removeTrack(trackId);
        return mixer.release(Mixer.samples(meeting.mediaTime()));
    }

    private void flushMix(List<PcmFrame> mix) {
        for (PcmFrame m : mix) {
            publish(m, true);
        }
    }

    private void publish(TapEvent e, boolean keep) {
        if (e instanceof PcmFrame f && f.mediaEnd().compareTo(liveEdge) > 0) {
            liveEdge = f.mediaEnd();
        }
        if (keep) {
            ring.addLast(e);
            trimRing();
        }
        for (TapSubscriber s : List.copyOf(subscribers)) {
            deliver(s, e);
        }
    }

    private void deliver(TapSubscriber s, TapEvent e) {
        try {
            s.onEvent(e);
        } catch (RuntimeException ex) {
            LOG.warn("tap subscriber {} of meeting {} failed; removing it", s, meeting.id(), ex);
            subscribers.remove(s);
        }
    }

    private void trimRing() {
        Duration horizon = liveEdge.minus(settings.ringSpan());
        while (!ring.isEmpty() && (ring.size() > settings.ringMaxEvents() || endOf(ring.peekFirst()).compareTo(horizon) <= 0)) {
            ring.removeFirst();
            trimmed = true;
        }
    }

    private Duration bufferStart(Duration edge) {
        if (!trimmed) {
            // Nothing has left the ring yet: it holds everything since the meeting began, and
            // a resume from before the first audio loses nothing (no gap to report).
            return Duration.ZERO;
        }
        for (TapEvent e : ring) {
            if (e instanceof PcmFrame) {
                return e.mediaTime();
            }
        }
        return edge;
    }

    private static Duration endOf(TapEvent e) {
        return e instanceof PcmFrame f ? f.mediaEnd() : e.mediaTime();
    }

    private static Duration maxDuration(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private record DecodedPcm(short[] samples, Duration mediaTime) {
    }

    /** Per audio track: sequence counters and, for Opus, the decoder and its stream clock. */
    private static final class TrackTap {
        private static final long RESYNC_NANOS = 60_000_000L;

        Track track;
        long sequence;
        long packetSequence;
        private OpusTrackDecoder decoder;
        private Duration streamStart;
        private long in48;
        private long out16;

        TrackTap(Track track) {
            this.track = track;
        }

        /**
         * Decodes a packet. Output time follows the decoded stream (start + samples out), so
         * resampler latency never shifts audio; a jump in media time starts a new stream.
         */
        DecodedPcm decode(Duration mediaTime, byte[] payload) {
            Duration expected = streamStart == null ? null : streamStart.plusNanos(in48 * 1_000_000_000L / 48_000);
            if (decoder == null || Math.abs(mediaTime.minus(expected).toNanos()) > RESYNC_NANOS) {
                decoder = new OpusTrackDecoder();
                streamStart = mediaTime;
                in48 = 0;
                out16 = 0;
            }
            short[] pcm = decoder.decode(payload, 960);
            Duration at = streamStart.plusNanos(out16 * 1_000_000_000L / PcmFrame.SAMPLE_RATE);
            in48 += decoder.lastDecoded48k();
            out16 += pcm.length;
            return new DecodedPcm(pcm, at);
        }
    }
}
