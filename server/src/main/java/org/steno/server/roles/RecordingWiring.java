package org.steno.server.roles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.RecorderEvents;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * Joins the recorder to the SFU when both run in one process ({@code steno up}): the SFU's RTP
 * reaches recordings through {@link SfuRecordingTaps}, and recording starts and stops show in
 * the meeting (the notice every participant sees, late joiners included). A meeting whose owner
 * asked for it is recorded from its first participant on; a meeting that ends stops its
 * recording, which is then finalized at once; the recorder's keyframe requests (a file
 * starts on one) reach the track's publisher. Started after both, since the registry and the
 * media server exist only once they are started.
 */
final class RecordingWiring implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingWiring.class);

    private final ConferenceRole conference;
    private final SfuRole sfu;
    private final RecorderRole recorder;
    private volatile SfuRecordingTaps taps;
    /** Whether the owner asked for the meeting to be recorded from its start. */
    private final java.util.function.Predicate<String> recordOnStart;
    /** Meetings whose session already had its first person: record on start is decided once a session. */
    private final java.util.Set<String> sessionStarted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Starts and stops recordings off the meeting's lock: joins and the end are announced while it is held. */
    private final java.util.concurrent.ExecutorService controller = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recording-start-stop");
        t.setDaemon(true);
        return t;
    });
    private final org.steno.conference.meeting.MeetingListener startAndEnd = new org.steno.conference.meeting.MeetingListener() {
        @Override
        public void participantJoined(org.steno.conference.meeting.Meeting meeting, org.steno.conference.meeting.Participant p) {
            String id = meeting.id();
            if (!sessionStarted.add(id)) {
                return;
            }
            // Off the meeting's lock: the owner's setting is read from the database.
            control(() -> {
                boolean wanted = recordOnStart.test(id);
                boolean idle = conference.registry().get(id).filter(m -> !m.ended() && !m.recording()).isPresent();
                if (wanted && idle) {
                    try {
                        org.steno.recorder.RecordingStatus st = recorder.control().start(id);
                        LOG.info("meeting {} started: recording {} started, as its owner asked", id, st.recordingId());
                    } catch (org.steno.recorder.RecordingException e) {
                        LOG.warn("meeting {}: the recording its owner asked for at the start could not start: {}", id, e.getMessage());
                        conference.hub().notice(id, "recording-stopped", e.getMessage());
                    }
                }
            }, "start the recording of meeting " + id);
        }

        @Override
        public void meetingEnded(org.steno.conference.meeting.Meeting meeting, org.steno.conference.meeting.EndReason reason) {
            sessionStarted.remove(meeting.id());
            if (!meeting.recording()) {
                return;
            }
            String id = meeting.id();
            control(() -> recorder.control().stop(id).ifPresent(st ->
                    LOG.info("meeting {} ended ({}): its recording {} stopped and is being finalized", id, reason, st.recordingId())),
                    "stop the recording of meeting " + id);
        }
    };

    private void control(Runnable r, String what) {
        try {
            controller.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // The database or the recorder failed: say so, and keep the executor for the next meeting.
                    LOG.warn("could not {}: {}", what, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the process is stopping: the recorder finalizes what it holds as it closes
        }
    }

    RecordingWiring(ConferenceRole conference, SfuRole sfu, RecorderRole recorder,
                    java.util.function.Predicate<String> recordOnStart) {
        this.conference = conference;
        this.sfu = sfu;
        this.recorder = recorder;
        this.recordOnStart = recordOnStart;
    }

    @Override
    public String name() {
        return "recording-taps";
    }

    @Override
    public void start() {
        SfuRecordingTaps t = new SfuRecordingTaps(conference.registry());
        sfu.mediaServer().addListener(t);
        recorder.connectTaps(t);
        conference.registry().addListener(startAndEnd);
        recorder.listen(new RecorderEvents() {
            @Override
            public void recordingStarted(String meetingId, String recordingId) {
                // An ended meeting (still in the registry while it closes) takes no flag: the stop follows.
                conference.registry().get(meetingId).filter(m -> !m.ended()).ifPresent(m -> {
                    try {
                        m.setRecording(true, recordingId);
                    } catch (org.steno.conference.meeting.MeetingNotActiveException ended) {
                        // ended in between: its end stops the recording
                    }
                });
            }

            @Override
            public void recordingStopped(String meetingId, String recordingId, StopReason reason, String message) {
                // Only the recording the meeting shows: a late stop of an earlier one must not clear the next one's flag.
                conference.registry().get(meetingId).filter(m -> !m.ended() && recordingId.equals(m.recordingId())).ifPresent(m -> {
                    try {
                        m.setRecording(false, recordingId);
                    } catch (org.steno.conference.meeting.MeetingNotActiveException ended) {
                        // ended in between: nothing left to show it to
                    }
                });
                if (reason != StopReason.REQUESTED) {
                    LOG.warn("recording of meeting {} stopped: {}", meetingId, message);
                    // Never silently: everyone in the room, the host included, reads why.
                    conference.hub().notice(meetingId, "recording-stopped",
                            message == null || message.isBlank() ? "The recording stopped unexpectedly." : message);
                }
            }

            @Override
            public void recordingFinalized(String meetingId, String recordingId, String manifestKey) {
                LOG.info("recording {} of meeting {} finalized: {}", recordingId, meetingId, manifestKey);
            }

            @Override
            public void keyframeNeeded(String meetingId, String trackId) {
                // A video file starts on a keyframe: without this a track waits for the next one the
                // browser sends by itself, which can be never for a still shared screen.
                org.steno.conference.media.MediaServer media = sfu.mediaServerOrNull();
                if (media != null) {
                    media.requestKeyframe(meetingId, trackId);
                }
            }
        });
        taps = t;
    }

    @Override
    public void stop() {
        SfuRecordingTaps t = taps;
        taps = null;
        conference.registry().removeListener(startAndEnd);
        controller.shutdown();
        if (t != null && sfu.mediaServerOrNull() != null) {
            sfu.mediaServerOrNull().removeListener(t);
        }
    }

    @Override
    public Readiness readiness() {
        return taps == null ? Readiness.notReady("not started") : Readiness.ready("the SFU's tracks feed the recorder");
    }
}
