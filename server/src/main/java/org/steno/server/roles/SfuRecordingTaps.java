package org.steno.server.roles;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.MediaFrame;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.MediaListener;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.recorder.RecordingException;
import org.steno.recorder.RecordingInput;
import org.steno.recorder.RecordingTaps;

/**
 * The SFU's RTP, as the recorder reads it: a {@link MediaListener} on the media server that
 * forwards the upstream tracks of every meeting being recorded to that recording's
 * {@link RecordingInput}, with the meeting's media clock ({@link Meeting#mediaTimeAt}).
 *
 * <p>Wiring (both needed): {@code mediaServer.addListener(taps)} and
 * {@code recorderRole.connectTaps(taps)}.
 */
final class SfuRecordingTaps implements RecordingTaps, MediaListener {

    /** MediaFrame carries no SSRC; one constant per track is enough since extendedSeq never resets. */
    private static final long SSRC = 1;

    private final MeetingRegistry registry;
    private final Map<String, TrackInfo> tracks = new ConcurrentHashMap<>();
    private final Map<String, RecordingInput> inputs = new ConcurrentHashMap<>();

    SfuRecordingTaps(MeetingRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AutoCloseable attach(String meetingId, RecordingInput input) throws RecordingException {
        Meeting m = live(meetingId).orElseThrow(() -> RecordingException.unknownMeeting(meetingId));
        inputs.put(meetingId, input);
        long now = m.mediaTime().toNanos() / 1000;
        for (TrackInfo t : tracks.values()) {
            if (t.groupId().equals(meetingId)) {
                announce(m, input, t, now);
            }
        }
        return () -> inputs.remove(meetingId, input);
    }

    @Override
    public long mediaTimeMicros(String meetingId) {
        return live(meetingId).map(m -> m.mediaTime().toNanos() / 1000).orElse(-1L);
    }

    private Optional<Meeting> live(String meetingId) {
        return registry.get(meetingId).filter(m -> !m.ended());
    }

    private static void announce(Meeting m, RecordingInput input, TrackInfo t, long mediaTime) {
        String name = m.participant(t.participantId()).map(Participant::displayName).orElse(t.participantId());
        boolean audio = t.kind() == MediaKind.AUDIO;
        input.trackStarted(t.participantId(), name, t.trackId(),
                audio ? RecordingInput.Kind.AUDIO : RecordingInput.Kind.VIDEO,
                audio ? RecordingInput.Source.MICROPHONE
                        : t.screenShare() ? RecordingInput.Source.SCREEN : RecordingInput.Source.CAMERA,
                t.codec(), t.clockRate(), mediaTime);
    }

    @Override
    public void onTrack(Endpoint endpoint, TrackInfo track) {
        tracks.put(track.trackId(), track);
        RecordingInput input = inputs.get(track.groupId());
        if (input != null) {
            live(track.groupId()).ifPresent(m -> announce(m, input, track, m.mediaTime().toNanos() / 1000));
        }
    }

    @Override
    public void onTrackEnded(Endpoint endpoint, TrackInfo track) {
        tracks.remove(track.trackId());
        RecordingInput input = inputs.get(track.groupId());
        if (input != null) {
            live(track.groupId()).ifPresent(m -> input.trackEnded(track.trackId(), m.mediaTime().toNanos() / 1000));
        }
    }

    @Override
    public void onRtp(MediaFrame f) {
        RecordingInput input = inputs.get(f.track().groupId());
        if (input == null) {
            return;
        }
        Optional<Meeting> m = registry.get(f.track().groupId());
        if (m.isEmpty()) {
            return;
        }
        input.packet(f.track().trackId(), SSRC, (int) (f.extendedSeq() & 0xffff), f.rtpTimestamp(), f.marker(),
                f.payload(), m.get().mediaTimeAt(f.arrivalNanos()).toNanos() / 1000);
    }

    @Override
    public void onEndpointClosed(Endpoint endpoint, String reason) {
        RecordingInput input = inputs.get(endpoint.groupId());
        if (input != null) {
            live(endpoint.groupId()).ifPresent(m ->
                    input.participantLeft(endpoint.participantId(), m.mediaTime().toNanos() / 1000));
        }
    }
}
