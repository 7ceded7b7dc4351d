package org.steno.server.archive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;

/**
 * What a meeting is still producing for its archive, so the archive page can say "being finalized,
 * ready by …" instead of an empty list. It listens to the meetings: when captions go off or the
 * meeting ends with captions on, a transcript is due; when a recording is running at the end (or
 * stops), that recording is due. A due file stops being due when the archive's listing holds it.
 *
 * <p>In memory, in the process that runs the meetings: after a restart the page falls back to
 * saying what it finds. Entries are forgotten {@link #KEEP} after they became due.
 */
public final class MeetingOutputs implements MeetingListener {

    /** How long the transcript and recording of an ended meeting take, at most, on a healthy deployment (issue #12: 30 s). */
    public static final Duration EXPECTED_WITHIN = Duration.ofSeconds(30);
    /** After this, a due file that never came is no longer announced (the page then lists what there is). */
    public static final Duration KEEP = Duration.ofMinutes(30);
    /** A transcript counts as the due one when written after this much before it became due (clocks of two hosts). */
    private static final Duration SKEW = Duration.ofSeconds(5);

    /** What one meeting owes the archive. {@code transcriptSince} is null when no transcript is due. */
    private record Due(Instant endedAt, Instant transcriptSince, String recordingId, Instant recordingSince) {
    }

    private final Clock clock;
    private final Function<String, Optional<Meeting>> live;
    private final Map<String, Due> due = new ConcurrentHashMap<>();
    /** Whether captions were on at the meeting's last update: a change to off makes a transcript due. */
    private final Map<String, Boolean> captionsOn = new ConcurrentHashMap<>();
    private final Map<String, String> recordingOn = new ConcurrentHashMap<>();

    /** @param live the meeting by id while it runs (the registry), to say "in progress" */
    public MeetingOutputs(Clock clock, Function<String, Optional<Meeting>> live) {
        this.clock = clock;
        this.live = live;
    }

    /** With no meetings in this process (the archive runs apart from the SFU): nothing is ever due. */
    public static MeetingOutputs none() {
        return new MeetingOutputs(Clock.systemUTC(), id -> Optional.empty());
    }

    @Override
    public void meetingStarted(Meeting meeting) {
        due.remove(meeting.id()); // reopened: what the last session owed is said by the listing from now on
        meetingUpdated(meeting);
    }

    @Override
    public void meetingUpdated(Meeting meeting) {
        Instant now = clock.instant();
        boolean captions = meeting.captionsEnabled();
        Boolean was = captionsOn.put(meeting.id(), captions);
        if (Boolean.TRUE.equals(was) && !captions) {
            due.compute(meeting.id(), (k, d) -> d == null ? new Due(null, now, "", null) : new Due(d.endedAt(), now, d.recordingId(), d.recordingSince()));
        }
        String recording = meeting.recording() ? meeting.recordingId() : "";
        String wasRecording = recording.isEmpty() ? recordingOn.remove(meeting.id()) : recordingOn.put(meeting.id(), recording);
        if (recording.isEmpty() && wasRecording != null && !wasRecording.isEmpty()) {
            due.compute(meeting.id(), (k, d) -> d == null ? new Due(null, null, wasRecording, now)
                    : new Due(d.endedAt(), d.transcriptSince(), wasRecording, now));
        }
    }

    @Override
    public void meetingEnded(Meeting meeting, EndReason reason) {
        Instant now = clock.instant();
        Due before = due.get(meeting.id());
        Instant transcript = meeting.captionsEnabled() ? now : before == null ? null : before.transcriptSince();
        String recording = meeting.recording() && !meeting.recordingId().isEmpty() ? meeting.recordingId()
                : before == null ? "" : before.recordingId();
        Instant recordingSince = meeting.recording() ? now : before == null ? null : before.recordingSince();
        captionsOn.remove(meeting.id());
        recordingOn.remove(meeting.id());
        forgetExpired(now);
        if (transcript == null && recording.isEmpty()) {
            due.remove(meeting.id()); // nothing to wait for: the listing says what there is
            return;
        }
        due.put(meeting.id(), new Due(now, transcript, recording, recordingSince));
    }

    /** Entries nobody asked about are dropped once announced long enough: a long-running process does not grow. */
    private void forgetExpired(Instant now) {
        due.entrySet().removeIf(e -> oldest(e.getValue()).plus(KEEP).isBefore(now));
    }

    /**
     * The archive listing's {@code processing}: whether the meeting is in progress, when it ended,
     * which files are still due and by when; empty when nothing is live or due.
     *
     * @param transcriptsWritten when each transcript the bucket holds was written
     * @param recordingIds       the recordings the bucket holds, finalized
     */
    public Optional<Map<String, Object>> processing(String meetingId, Collection<Instant> transcriptsWritten,
                                                    Collection<String> recordingIds) {
        Instant now = clock.instant();
        Due d = due.get(meetingId);
        if (d != null && oldest(d).plus(KEEP).isBefore(now)) {
            due.remove(meetingId, d);
            d = null;
        }
        Optional<Meeting> m = live.apply(meetingId).filter(x -> !x.ended());
        Due owed = d;
        boolean transcriptDue = owed != null && owed.transcriptSince() != null
                && transcriptsWritten.stream().noneMatch(w -> !w.isBefore(owed.transcriptSince().minus(SKEW)));
        boolean recordingDue = owed != null && !owed.recordingId().isEmpty() && !recordingIds.contains(owed.recordingId());
        if (m.isEmpty() && !transcriptDue && !recordingDue) {
            return Optional.empty();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("live", m.isPresent());
        out.put("recording", m.map(Meeting::recording).orElse(false));
        out.put("captions", m.map(Meeting::captionsEnabled).orElse(false));
        out.put("endedAt", owed == null || owed.endedAt() == null || m.isPresent() ? null : owed.endedAt().toString());
        out.put("transcriptDue", transcriptDue);
        out.put("recordingDue", recordingDue);
        Instant since = null;
        if (transcriptDue) {
            since = owed.transcriptSince();
        }
        if (recordingDue && (since == null || owed.recordingSince().isAfter(since))) {
            since = owed.recordingSince();
        }
        out.put("readyBy", since == null ? null : since.plus(EXPECTED_WITHIN).toString());
        out.put("late", since != null && since.plus(EXPECTED_WITHIN).isBefore(now));
        return Optional.of(out);
    }

    /** When the captions of a meeting that ended began, if its live transcript is owed (captions were on). */
    public Optional<Instant> liveTranscriptSince(String meetingId) {
        Due d = due.get(meetingId);
        return d == null ? Optional.empty() : Optional.ofNullable(d.transcriptSince());
    }

    /** How many meetings are remembered as owing something (tests: the map does not grow). */
    int remembered() {
        return due.size();
    }

    private static Instant oldest(Due d) {
        Instant t = d.endedAt();
        for (Instant x : new Instant[] {d.transcriptSince(), d.recordingSince()}) {
            if (x != null && (t == null || x.isBefore(t))) {
                t = x;
            }
        }
        return t == null ? Instant.MIN : t;
    }
}
