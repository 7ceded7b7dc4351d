package org.steno.server.roles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.RecorderEvents;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * Joins the recorder to the SFU when both run in one process ({@code steno up}): the SFU's RTP
 * reaches recordings through {@link SfuRecordingTaps}, and recording starts and stops show in
 * the meeting (the notice every participant sees, late joiners included). A meeting that ends
 * stops its recording, which is then finalized at once; the recorder's keyframe requests (a file
 * starts on one) reach the track's publisher. Started after both, since the registry and the
 * media server exist only once they are started.
 */
final class RecordingWiring implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingWiring.class);

    private final ConferenceRole conference;
    private final SfuRole sfu;
    private final RecorderRole recorder;
    private volatile SfuRecordingTaps taps;
    /** Stops a recording off the meeting's lock: the end is announced while the meeting is held. */
    private final java.util.concurrent.ExecutorService stopper = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recording-stop-at-end");
        t.setDaemon(true);
        return t;
    });
    private final org.steno.conference.meeting.MeetingListener endStopsRecording = new org.steno.conference.meeting.MeetingListener() {
        @Override
        public void meetingEnded(org.steno.conference.meeting.Meeting meeting, org.steno.conference.meeting.EndReason reason) {
            if (!meeting.recording()) {
                return;
            }
            String id = meeting.id();
            try {
                stopper.execute(() -> recorder.control().stop(id).ifPresent(st ->
                        LOG.info("meeting {} ended ({}): its recording {} stopped and is being finalized", id, reason, st.recordingId())));
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // the process is stopping: the recorder finalizes what it holds as it closes
            }
        }
    };

    RecordingWiring(ConferenceRole conference, SfuRole sfu, RecorderRole recorder) {
        this.conference = conference;
        this.sfu = sfu;
        this.recorder = recorder;
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
        conference.registry().addListener(endStopsRecording);
        recorder.listen(new RecorderEvents() {
            @Override
            public void recordingStarted(String meetingId, String recordingId) {
                conference.registry().get(meetingId).ifPresent(m -> m.setRecording(true, recordingId));
            }

            @Override
            public void recordingStopped(String meetingId, String recordingId, StopReason reason, String message) {
                conference.registry().get(meetingId).filter(m -> !m.ended()).ifPresent(m -> m.setRecording(false, recordingId));
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
        conference.registry().removeListener(endStopsRecording);
        stopper.shutdown();
        if (t != null && sfu.mediaServerOrNull() != null) {
            sfu.mediaServerOrNull().removeListener(t);
        }
    }

    @Override
    public Readiness readiness() {
        return taps == null ? Readiness.notReady("not started") : Readiness.ready("the SFU's tracks feed the recorder");
    }
}
