package org.steno.server.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.conference.media.Endpoint;
import org.steno.conference.media.MediaFrame;
import org.steno.conference.media.MediaKind;
import org.steno.conference.media.TrackInfo;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingRegistry;
import org.steno.conference.meeting.Participant;
import org.steno.conference.meeting.ParticipantKind;
import org.steno.conference.meeting.ParticipantRole;
import org.steno.recorder.Recorder;
import org.steno.recorder.RecorderEvents;
import org.steno.recorder.RecorderSettings;
import org.steno.recorder.RecordingException;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.store.DirectoryObjectStore;

/** SFU media events of a real meeting registry, through the taps adapter, into a finalized recording. */
class SfuRecordingTapsTest {

    @TempDir
    Path tmp;

    private static Endpoint endpoint(String participantId, String groupId) {
        return (Endpoint) Proxy.newProxyInstance(Endpoint.class.getClassLoader(), new Class<?>[] {Endpoint.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "participantId" -> participantId;
                    case "groupId" -> groupId;
                    case "id" -> "ep-" + participantId;
                    case "toString" -> "endpoint " + participantId;
                    default -> null;
                });
    }

    @Test
    void rtpOfARecordedMeetingBecomesANamedTrackOnTheMeetingsClock() throws Exception {
        MeetingRegistry registry = new MeetingRegistry();
        Meeting meeting = registry.create("standup");
        Participant alice = meeting.join("alice@example.org", "Alice", ParticipantRole.HOST, ParticipantKind.BROWSER);
        SfuRecordingTaps taps = new SfuRecordingTaps(registry);
        Endpoint ep = endpoint(alice.id(), meeting.id());
        TrackInfo mic = new TrackInfo("ep-a/0", alice.id(), meeting.id(), MediaKind.AUDIO, "opus", 48000, "0");
        taps.onTrack(ep, mic); // published before the recording starts: replayed on attach

        Recorder recorder = new Recorder(new DirectoryObjectStore(tmp.resolve("store")), tmp.resolve("data"),
                RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(1 << 20), taps,
                RecorderEvents.NONE);
        recorder.start();
        try {
            assertThatThrownBy(() -> recorder.start("no-such-meeting"))
                    .isInstanceOfSatisfying(RecordingException.class, e -> assertThat(e.isUnknownMeeting()).isTrue());
            recorder.start(meeting.id());

            OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
            short[] pcm = new short[960];
            byte[] out = new byte[1275];
            long base = System.nanoTime() + 5_000_000;
            for (int i = 0; i < 100; i++) {
                for (int k = 0; k < 960; k++) {
                    pcm[k] = (short) (6000 * Math.sin(2 * Math.PI * 440 * (i * 960 + k) / 48000.0));
                }
                int n = enc.encode(pcm, 0, 960, out, 0, out.length);
                taps.onRtp(new MediaFrame(mic, 70_000L + i, 960L * i, true, java.util.Arrays.copyOf(out, n),
                        base + 20_000_000L * i, 0, -1));
            }
            taps.onEndpointClosed(ep, "closed");
            Manifest m = recorder.stopAndFinalize(meeting.id()).get(60, TimeUnit.SECONDS);
            Manifest.FileEntry track = m.files().stream().filter(f -> f.trackId().equals("ep-a/0")).findFirst()
                    .orElseThrow();
            assertThat(track.displayName()).isEqualTo("Alice");
            assertThat(track.durationMs()).isBetween(1950L, 2050L);
            assertThat(track.offsetMs()).isBetween(0L, 100L);
            assertThat(m.participants()).singleElement().satisfies(p -> {
                assertThat(p.displayName()).isEqualTo("Alice");
                assertThat(p.leftMs()).isGreaterThanOrEqualTo(0);
            });
        } finally {
            recorder.close();
        }
    }
}
