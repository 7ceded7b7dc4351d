package org.steno.server.roles;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.RecorderEvents;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;

/**
 * Joins the recorder to the SFU when both run in one process ({@code steno up}): the SFU's RTP
 * reaches recordings through {@link SfuRecordingTaps}, and recording starts and stops show in
 * the meeting (the notice every participant sees, late joiners included). Started after both,
 * since the registry and the media server exist only once they are started.
 */
final class RecordingWiring implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingWiring.class);

    private final ConferenceRole conference;
    private final SfuRole sfu;
    private final RecorderRole recorder;
    private volatile SfuRecordingTaps taps;

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
        recorder.listen(new RecorderEvents() {
            @Override
            public void recordingStarted(String meetingId, String recordingId) {
                conference.registry().get(meetingId).ifPresent(m -> m.setRecording(true, recordingId));
            }

            @Override
            public void recordingStopped(String meetingId, String recordingId, StopReason reason, String message) {
                conference.registry().get(meetingId).ifPresent(m -> m.setRecording(false, recordingId));
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
                // The SFU already asks publishers for a keyframe when a subscriber joins; the
                // recorder's own requests need a media-plane API that does not exist yet.
            }
        });
        taps = t;
    }

    @Override
    public void stop() {
        SfuRecordingTaps t = taps;
        taps = null;
        if (t != null && sfu.mediaServerOrNull() != null) {
            sfu.mediaServerOrNull().removeListener(t);
        }
    }

    @Override
    public Readiness readiness() {
        return taps == null ? Readiness.notReady("not started") : Readiness.ready("the SFU's tracks feed the recorder");
    }
}
