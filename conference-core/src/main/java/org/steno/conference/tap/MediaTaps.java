package org.steno.conference.tap;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.Track;

/**
 * The in-process tap of every meeting on this node, kept in step with the
 * {@link MeetingRegistry}: what the recorder (packets), MediaTap and MediaIngest use. One
 * scheduler thread sends heartbeats and releases the mix on the clock.
 */
public final class MediaTaps implements MeetingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaTaps.class);

    private final MeetingRegistry registry;
    private final TapSettings settings;
    private final ConcurrentHashMap<String, MeetingTap> taps = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService ticker;

    public MediaTaps(MeetingRegistry registry, TapSettings settings) {
        this.registry = registry;
        this.settings = settings;
        registry.addListener(this);
        for (Meeting m : registry.list()) {
            taps.computeIfAbsent(m.id(), id -> new MeetingTap(m, settings));
        }
    }

    public MeetingRegistry registry() {
        return registry;
    }

    /** Starts heartbeats and the clock-driven mix. */
    public synchronized void start() {
        if (ticker != null) {
            return;
        }
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "media-tap-ticker");
            t.setDaemon(true);
            return t;
        });
        long period = settings.heartbeat().toMillis();
        ticker.scheduleAtFixedRate(this::tickAll, period, period, TimeUnit.MILLISECONDS);
    }

    private void tickAll() {
        for (MeetingTap t : taps.values()) {
            try {
                t.tick();
            } catch (RuntimeException e) {
                LOG.warn("tap tick of meeting {} failed", t.meetingId(), e);
            }
        }
    }

    @Override
    public synchronized void close() {
        registry.removeListener(this);
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    public Optional<MeetingTap> tap(String meetingId) {
        return meetingId == null ? Optional.empty() : Optional.ofNullable(taps.get(meetingId));
    }

    @Override
    public void meetingStarted(Meeting meeting) {
        taps.computeIfAbsent(meeting.id(), id -> new MeetingTap(meeting, settings));
    }

    @Override
    public void meetingUpdated(Meeting meeting) {
        tap(meeting.id()).ifPresent(MeetingTap::meetingChanged);
    }

    @Override
    public void meetingEnded(Meeting meeting, EndReason reason) {
        MeetingTap t = taps.remove(meeting.id());
        if (t != null) {
            t.ended(reason);
        }
    }

    @Override
    public void participantJoined(Meeting meeting, Participant participant) {
        tap(meeting.id()).ifPresent(t -> t.participantChanged(TapEvent.ParticipantChange.Kind.JOINED, participant, null));
    }

    @Override
    public void participantLeft(Meeting meeting, Participant participant, LeaveReason reason) {
        tap(meeting.id()).ifPresent(t -> t.participantChanged(TapEvent.ParticipantChange.Kind.LEFT, participant, reason));
    }

    @Override
    public void trackPublished(Meeting meeting, Track track) {
        tap(meeting.id()).ifPresent(t -> t.trackChanged(TapEvent.TrackChange.Kind.PUBLISHED, track));
    }

    @Override
    public void trackUnpublished(Meeting meeting, Track track) {
        tap(meeting.id()).ifPresent(t -> t.trackChanged(TapEvent.TrackChange.Kind.UNPUBLISHED, track));
    }

    @Override
    public void trackMuted(Meeting meeting, Track track) {
        tap(meeting.id()).ifPresent(t -> t.trackChanged(
                track.muted() ? TapEvent.TrackChange.Kind.MUTED : TapEvent.TrackChange.Kind.UNMUTED, track));
    }
}
