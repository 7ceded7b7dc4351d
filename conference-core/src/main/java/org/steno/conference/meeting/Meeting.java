package org.steno.conference.meeting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One meeting: its participants, their tracks, the media clock and the host's switches.
 * Every change takes the meeting's own lock and notifies the registry's listeners under it,
 * so listeners see one meeting's events in the order they happened. Participant and track
 * ids are counters, unique in the meeting and never reused (a rejoin gets a new id).
 */
public final class Meeting {

    private final String id;
    private final Instant createdAt;
    private final long startNanos;
    private final LongSupplier nanoTime;
    private final MeetingLimits limits;
    private final Listeners listeners;

    private final Map<String, Participant> participants = new LinkedHashMap<>();
    private final Map<String, Track> tracks = new LinkedHashMap<>();
    private String title;
    private boolean captionsEnabled;
    /** Media time captions were last turned on (null while off). */
    private Duration captionsSince;
    private String language = "";
    private boolean recording;
    private String recordingId = "";
    private boolean ended;
    private long emptySinceNanos;
    private int nextParticipant = 1;
    private int nextTrack = 1;

    Meeting(String id, String title, Instant createdAt, LongSupplier nanoTime, MeetingLimits limits, Listeners listeners) {
        this.id = id;
        this.title = title;
        this.createdAt = createdAt;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.emptySinceNanos = startNanos;
        this.limits = limits;
        this.listeners = listeners;
    }

    public String id() {
        return id;
    }

    /** Wall-clock instant of media time 0. */
    public Instant createdAt() {
        return createdAt;
    }

    /** Meeting media time now: monotonic time since the meeting started. */
    public Duration mediaTime() {
        return Duration.ofNanos(nanoTime.getAsLong() - startNanos);
    }

    /** Converts a {@link System#nanoTime()}-style instant of this clock into media time. */
    public Duration mediaTimeAt(long nanos) {
        return Duration.ofNanos(nanos - startNanos);
    }

    public synchronized String title() {
        return title;
    }

    public synchronized boolean captionsEnabled() {
        return captionsEnabled;
    }

    /** Media time at which captions were last turned on; null while they are off. */
    public synchronized Duration captionsSince() {
        return captionsSince;
    }

    public synchronized String language() {
        return language;
    }

    public synchronized boolean recording() {
        return recording;
    }

    public synchronized String recordingId() {
        return recordingId;
    }

    public synchronized boolean ended() {
        return ended;
    }

    /** Participants connected now, in join order. */
    public synchronized List<Participant> participants() {
        return participants.values().stream().filter(Participant::connected).toList();
    }

    /** Everyone who was ever in the meeting, connected or not, in join order. */
    public synchronized List<Participant> allParticipants() {
        return List.copyOf(participants.values());
    }

    public synchronized Optional<Participant> participant(String participantId) {
        return Optional.ofNullable(participants.get(participantId));
    }

    /** Tracks published now, in publication order. */
    public synchronized List<Track> tracks() {
        return List.copyOf(tracks.values());
    }

    public synchronized Optional<Track> track(String trackId) {
        return Optional.ofNullable(tracks.get(trackId));
    }

    public synchronized int participantCount() {
        return (int) participants.values().stream().filter(Participant::connected).count();
    }

    /**
     * Adds a participant. Throws {@link MeetingNotActiveException} after the meeting ended and
     * {@link MeetingLimitException} when it is full.
     */
    public synchronized Participant join(String identity, String displayName, ParticipantRole role, ParticipantKind kind) {
        requireActive();
        if (participantCount() >= limits.maxParticipantsPerMeeting()) {
            throw new MeetingLimitException("meeting " + id + " is full (" + limits.maxParticipantsPerMeeting() + " participants)");
        }
        Participant p = new Participant("p" + nextParticipant++, identity, displayName, role, kind, mediaTime(), null);
        participants.put(p.id(), p);
        listeners.fire(l -> l.participantJoined(this, p));
        return p;
    }

    /** Removes a participant and unpublishes its tracks; false when it was not connected. */
    public synchronized boolean leave(String participantId, LeaveReason reason) {
        Participant p = participants.get(participantId);
        if (p == null || !p.connected()) {
            return false;
        }
        for (Track t : List.copyOf(tracks.values())) {
            if (t.participantId().equals(participantId)) {
                unpublish(t.id());
            }
        }
        Participant left = p.leaving(mediaTime());
        participants.put(participantId, left);
        if (participantCount() == 0) {
            emptySinceNanos = nanoTime.getAsLong();
        }
        listeners.fire(l -> l.participantLeft(this, left, reason));
        return true;
    }

    /** Makes a connected participant a host or a participant again (a co-host promoted or demoted); false if unchanged. */
    public synchronized boolean setRole(String participantId, ParticipantRole role) {
        Participant p = participants.get(participantId);
        if (p == null || !p.connected()) {
            throw new MeetingNotActiveException("participant " + participantId + " is not in meeting " + id);
        }
        if (p.role() == role) {
            return false;
        }
        Participant changed = p.withRole(role);
        participants.put(participantId, changed);
        listeners.fire(l -> l.participantUpdated(this, changed));
        return true;
    }

    /** Publishes a track of a connected participant. */
    public synchronized Track publish(String participantId, TrackKind kind, TrackSource source, String codec) {
        return publish(participantId, kind, source, codec, false);
    }

    /** Publishes a track; {@code sharedMicrophone}: several people speak into it (it will be diarized). */
    public synchronized Track publish(String participantId, TrackKind kind, TrackSource source, String codec,
                                      boolean sharedMicrophone) {
        requireActive();
        Participant p = participants.get(participantId);
        if (p == null || !p.connected()) {
            throw new MeetingNotActiveException("participant " + participantId + " is not in meeting " + id);
        }
        long own = tracks.values().stream().filter(t -> t.participantId().equals(participantId)).count();
        if (own >= limits.maxTracksPerParticipant()) {
            throw new MeetingLimitException("participant " + participantId + " already publishes "
                    + limits.maxTracksPerParticipant() + " tracks");
        }
        Track t = new Track("t" + nextTrack++, participantId, kind, source, false, codec, mediaTime(),
                sharedMicrophone && kind == TrackKind.AUDIO);
        tracks.put(t.id(), t);
        listeners.fire(l -> l.trackPublished(this, t));
        return t;
    }

    public synchronized boolean unpublish(String trackId) {
        Track t = tracks.remove(trackId);
        if (t == null) {
            return false;
        }
        listeners.fire(l -> l.trackUnpublished(this, t));
        return true;
    }

    /** Mutes or unmutes a track; no event when nothing changes. */
    public synchronized boolean setMuted(String trackId, boolean muted) {
        Track t = tracks.get(trackId);
        if (t == null) {
            throw new MeetingNotActiveException("track " + trackId + " is not published in meeting " + id);
        }
        if (t.muted() == muted) {
            return false;
        }
        Track changed = t.withMuted(muted);
        tracks.put(trackId, changed);
        listeners.fire(l -> l.trackMuted(this, changed));
        return true;
    }

    public synchronized void setCaptions(boolean enabled, String lang) {
        requireActive();
        if (enabled && !captionsEnabled) {
            captionsSince = mediaTime(); // a change of language keeps the run going
        } else if (!enabled) {
            captionsSince = null;
        }
        captionsEnabled = enabled;
        language = lang == null ? "" : lang;
        listeners.fire(l -> l.meetingUpdated(this));
    }

    public synchronized void setRecording(boolean on, String recId) {
        requireActive();
        recording = on;
        recordingId = on && recId != null ? recId : "";
        listeners.fire(l -> l.meetingUpdated(this));
    }

    public synchronized void setTitle(String newTitle) {
        requireActive();
        title = newTitle == null ? "" : newTitle;
        listeners.fire(l -> l.meetingUpdated(this));
    }

    /** Ends the meeting: everyone still in it leaves with MEETING_ENDED. Idempotent. */
    synchronized boolean end(EndReason reason) {
        if (ended) {
            return false;
        }
        for (Participant p : new ArrayList<>(participants())) {
            leave(p.id(), LeaveReason.MEETING_ENDED);
        }
        ended = true;
        listeners.fire(l -> l.meetingEnded(this, reason));
        return true;
    }

    synchronized boolean emptyLongerThan(Duration d, long nowNanos) {
        return !ended && participantCount() == 0 && nowNanos - emptySinceNanos > d.toNanos();
    }

    private void requireActive() {
        if (ended) {
            throw new MeetingNotActiveException("meeting " + id + " has ended");
        }
    }

    @Override
    public String toString() {
        return "Meeting[" + id + "]";
    }
}
