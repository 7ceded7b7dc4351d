package org.steno.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;

/** What an ended meeting still owes its archive, from the meetings' own events. */
class MeetingOutputsTest {

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private MeetingRegistry registry;
    private MeetingOutputs outputs;

    @BeforeEach
    void setUp() {
        registry = new MeetingRegistry();
        outputs = new MeetingOutputs(clock, registry::get);
        registry.addListener(outputs);
    }

    @Test
    void aMeetingNeverRunHereOwesNothing() {
        assertThat(outputs.processing("unknown", List.of(), List.of())).isEmpty();
        assertThat(MeetingOutputs.none().processing("unknown", List.of(), List.of())).isEmpty();
    }

    @Test
    void aLiveMeetingIsInProgressWithItsCaptionsAndRecordingSaid() {
        Meeting m = registry.create("Weekly");
        m.setCaptions(true, "fr");
        m.setRecording(true, "rec-1");
        Map<String, Object> p = outputs.processing(m.id(), List.of(), List.of()).orElseThrow();
        assertThat(p).containsEntry("live", true).containsEntry("recording", true).containsEntry("captions", true)
                .containsEntry("transcriptDue", false).containsEntry("recordingDue", false).containsEntry("endedAt", null);
    }

    @Test
    void anEndedMeetingOwesItsTranscriptAndRecordingUntilTheListingHoldsThem() {
        Meeting m = registry.create("Weekly");
        m.setCaptions(true, "fr");
        m.setRecording(true, "rec-1");
        now = now.plusSeconds(600);
        Instant ended = now;
        registry.end(m.id(), EndReason.ENDED_BY_HOST);

        now = now.plusSeconds(4);
        Map<String, Object> p = outputs.processing(m.id(), List.of(), List.of()).orElseThrow();
        assertThat(p).containsEntry("live", false).containsEntry("endedAt", ended.toString())
                .containsEntry("transcriptDue", true).containsEntry("recordingDue", true)
                .containsEntry("readyBy", ended.plus(MeetingOutputs.EXPECTED_WITHIN).toString()).containsEntry("late", false);

        // A transcript written before captions went on in this session is not the one due.
        assertThat(outputs.processing(m.id(), List.of(ended.minusSeconds(3600)), List.of()).orElseThrow())
                .containsEntry("transcriptDue", true);
        // The transcript lands first (written a little before the end by another host's clock), then the recording.
        assertThat(outputs.processing(m.id(), List.of(ended.minusSeconds(2)), List.of()).orElseThrow())
                .containsEntry("transcriptDue", false).containsEntry("recordingDue", true);
        assertThat(outputs.processing(m.id(), List.of(ended.plusSeconds(3)), List.of("rec-0", "rec-1"))).isEmpty();
    }

    @Test
    void filesThatDoNotComeInTimeAreLateThenForgotten() {
        Meeting m = registry.create("Weekly");
        m.setRecording(true, "rec-7");
        registry.end(m.id(), EndReason.ENDED_BY_HOST);
        now = now.plus(MeetingOutputs.EXPECTED_WITHIN).plusSeconds(1);
        assertThat(outputs.processing(m.id(), List.of(), List.of()).orElseThrow())
                .containsEntry("transcriptDue", false).containsEntry("recordingDue", true).containsEntry("late", true);
        now = now.plus(MeetingOutputs.KEEP);
        assertThat(outputs.processing(m.id(), List.of(), List.of())).isEmpty();
    }

    @Test
    void turningCaptionsOffOrStoppingTheRecordingMakesTheirFileDueWhileTheMeetingGoesOn() {
        Meeting m = registry.create("Weekly");
        m.setCaptions(true, "en");
        m.setRecording(true, "rec-2");
        now = now.plusSeconds(60);
        m.setCaptions(false, "en");
        m.setRecording(false, "rec-2");
        assertThat(outputs.processing(m.id(), List.of(), List.of()).orElseThrow())
                .containsEntry("live", true).containsEntry("transcriptDue", true).containsEntry("recordingDue", true)
                .containsEntry("readyBy", now.plus(MeetingOutputs.EXPECTED_WITHIN).toString());
        // A meeting with neither on owes nothing when it ends.
        Meeting quiet = registry.create("Quiet");
        registry.end(quiet.id(), EndReason.ENDED_BY_HOST);
        assertThat(outputs.processing(quiet.id(), List.of(), List.of())).isEmpty();
    }

    @Test
    void aLongRunningProcessRemembersOnlyWhatIsDueAndForgetsItInTime() {
        for (int i = 0; i < 50; i++) {
            registry.end(registry.create("Quiet " + i).id(), EndReason.EMPTY_TIMEOUT);
        }
        assertThat(outputs.remembered()).as("meetings that owe nothing").isZero();
        Meeting recorded = registry.create("Recorded");
        recorded.setRecording(true, "rec-9");
        registry.end(recorded.id(), EndReason.ENDED_BY_HOST);
        assertThat(outputs.remembered()).isEqualTo(1);
        // Nobody asks about it; later meetings end after KEEP: it is dropped as they do.
        now = now.plus(MeetingOutputs.KEEP).plusSeconds(1);
        registry.end(registry.create("Later").id(), EndReason.EMPTY_TIMEOUT);
        assertThat(outputs.remembered()).isZero();
    }
}
