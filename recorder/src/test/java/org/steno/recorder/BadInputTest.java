package org.steno.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.webm.WebmReader;

/**
 * One recording where every track misbehaves in its own way; each must still give a file that
 * FFmpeg decodes with the right duration, and the recorder must keep going.
 */
class BadInputTest {

    static final long T0 = 1_000_000;
    static final long TOTAL_MS = 8_000;

    @TempDir
    static Path tmp;
    static TestS3 s3;
    static Recorder recorder;
    static Manifest manifest;
    static List<WebmReader.Frame> frames;
    static final List<String> keyframeRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void record() throws Exception {
        s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")));
        recorder = new Recorder(s3.store(), tmp.resolve("data"),
                RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(1 << 20), RecordingTaps.none(),
                new RecorderEvents() {
                    @Override
                    public void keyframeNeeded(String meetingId, String trackId) {
                        keyframeRequests.add(trackId);
                    }
                });
        recorder.start();
        short[] speech = Speech.load48k("sense_and_sensibility_01_austen_64kb-0870.wav");
        List<byte[]> packets = Speech.encode(Speech.placed(speech, 0, TOTAL_MS));
        List<byte[]> silence = Speech.encode(new short[(int) TOTAL_MS * 48]);
        MeetingScript m = new MeetingScript();
        Random random = new Random(42);

        // Corrupt payloads: every 10th packet is garbage, empty, or an impossible frame count.
        start(m, "p1", "corrupt");
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            if (i % 10 == 5) {
                p = switch (i % 3) {
                    case 0 -> new byte[0];
                    case 1 -> new byte[] {(byte) 0xFB, 0}; // code 3 with zero frames
                    default -> {
                        byte[] g = new byte[40];
                        random.nextBytes(g);
                        g[0] = (byte) 0xFC; // a valid TOC before garbage: the decoder must cope
                        yield g;
                    }
                };
            }
            send(m, "corrupt", 11, i, 1000L * i * 960 / 1000, p);
        }
        // Timestamps jump far forward at 3 s and back by 5 s at 6 s.
        start(m, "p2", "jumpy");
        for (int i = 0; i < packets.size(); i++) {
            long ts = 960L * i + (i >= 150 ? 1_000_000_000L : 0) - (i >= 300 ? 240_000L : 0);
            send(m, "jumpy", 12, i, ts, packets.get(i));
        }
        // Only silence.
        start(m, "p3", "silent");
        for (int i = 0; i < silence.size(); i++) {
            send(m, "silent", 13, i, 960L * i, silence.get(i));
        }
        // The sender restarts at 4 s: new SSRC, new sequence and timestamp bases.
        start(m, "p4", "ssrc");
        for (int i = 0; i < packets.size(); i++) {
            long ssrc = i < 200 ? 14 : 99;
            int seq = i < 200 ? i : 30_000 + i;
            long ts = i < 200 ? 960L * i : 77_000_000L + 960L * i;
            long media = T0 + 20_000L * i;
            byte[] p = packets.get(i);
            m.at(media, in -> in.packet("ssrc", ssrc, seq, ts, true, p, media));
        }
        // Leaves at 3 s, comes back at 5 s with a new track.
        start(m, "p5", "before");
        for (int i = 0; i < 150; i++) {
            send(m, "before", 15, i, 960L * i, packets.get(i));
        }
        m.at(T0 + 3_000_000, in -> in.participantLeft("p5", T0 + 3_000_000));
        m.at(T0 + 5_000_000, in -> in.trackStarted("p5", "Rejoiner", "after", RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus",
                48000, T0 + 5_000_000));
        for (int i = 250; i < packets.size(); i++) {
            send(m, "after", 16, i, 960L * i, packets.get(i));
        }
        // Muted from 2 s to 4 s: nothing is sent meanwhile.
        start(m, "p6", "muted");
        m.at(T0 + 2_000_000, in -> in.trackMuted("muted", T0 + 2_000_000));
        m.at(T0 + 4_000_000, in -> in.trackUnmuted("muted", T0 + 4_000_000));
        for (int i = 0; i < packets.size(); i++) {
            if (i < 100 || i >= 200) {
                send(m, "muted", 17, i, 960L * i, packets.get(i));
            }
        }
        // Video losing one packet of frame 35: frames are dropped until the keyframe at frame 60.
        frames = Vp8Source.frames(tmp, 80, 10, 30);
        m.at(T0, in -> in.trackStarted("p1", "Name p1", "cam", RecordingInput.Kind.VIDEO, RecordingInput.Source.CAMERA, "VP8", 90000, T0));
        int seq = 0;
        for (int i = 0; i < frames.size(); i++) {
            List<byte[]> payloads = Vp8Source.packetize(frames.get(i).data(), 200);
            for (int j = 0; j < payloads.size(); j++) {
                int s = seq++;
                if (i == 35 && j == 0) {
                    continue;
                }
                byte[] p = payloads.get(j);
                long media = T0 + 100_000L * i + j;
                long ts = 9000L * i;
                boolean marker = j == payloads.size() - 1;
                m.at(media, in -> in.packet("cam", 21, s, ts, marker, p, media));
            }
        }
        // A screen whose first packets are mid-picture-group (the share began before the recording): nothing
        // decodes before its next keyframe, so the recorder asks for one at once, not only after a loss. Between
        // its frames, padding-only packets (payload empty), as Chromium sends to probe its bandwidth: not a loss.
        m.at(T0, in -> in.trackStarted("p8", "Name p8", "late-screen", RecordingInput.Kind.VIDEO, RecordingInput.Source.SCREEN,
                "VP8", 90000, T0));
        int lateSeq = 100;
        for (int i = 5; i < frames.size(); i++) {
            List<byte[]> payloads = Vp8Source.packetize(frames.get(i).data(), 200);
            for (int j = 0; j < payloads.size(); j++) {
                int s = lateSeq++;
                byte[] p = payloads.get(j);
                long media = T0 + 100_000L * i + j;
                long ts = 9000L * i;
                boolean marker = j == payloads.size() - 1;
                m.at(media, in -> in.packet("late-screen", 22, s, ts, marker, p, media));
            }
            if (i % 3 == 0) {
                int s = lateSeq++;
                long media = T0 + 100_000L * i + 50_000;
                long ts = 9000L * i;
                m.at(media, in -> in.packet("late-screen", 22, s, ts, false, new byte[0], media));
            }
        }
        // Nonsense the recorder must shrug off.
        m.at(T0 + 10, in -> in.packet("no-such-track", 1, 1, 1, true, new byte[] {1, 2}, T0 + 10));
        m.at(T0 + 20, in -> in.packet("corrupt", 11, 1, 1, true, null, T0 + 20));
        m.at(T0 + 30, in -> in.trackStarted("p7", "H264 user", "h264", RecordingInput.Kind.VIDEO, RecordingInput.Source.CAMERA, "H264", 90000,
                T0 + 30));
        m.at(T0 + TOTAL_MS * 1000, in -> in.trackMuted("no-such-track", T0));

        RecordingSession session = recorder.startDirect("bad-meeting", T0);
        m.play(session);
        manifest = recorder.stopAndFinalize("bad-meeting").get(120, TimeUnit.SECONDS);
    }

    static void start(MeetingScript m, String participant, String trackId) {
        m.at(T0, in -> in.trackStarted(participant, "Name " + participant, trackId, RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE,
                "opus", 48000, T0));
    }

    static void send(MeetingScript m, String trackId, long ssrc, int i, long ts, byte[] p) {
        long media = T0 + 20_000L * i;
        m.at(media, in -> in.packet(trackId, ssrc, i, ts, true, p, media));
    }

    @AfterAll
    static void cleanup() throws Exception {
        recorder.close();
        s3.close();
    }

    static Manifest.FileEntry file(String trackId) {
        return manifest.files().stream().filter(f -> f.trackId().equals(trackId)).findFirst()
                .orElseThrow(() -> new AssertionError("no file for " + trackId + ": " + manifest.files()));
    }

    static short[] decode(Manifest.FileEntry f) throws Exception {
        Path local = tmp.resolve(f.key().replace('/', '_'));
        Files.write(local, s3.store().get(f.key()));
        return Ffmpeg.decode(local);
    }

    @Test
    void corruptPayloadsAreDroppedAndTheFileStillDecodesFullLength() throws Exception {
        Manifest.FileEntry f = file("corrupt");
        assertThat((long) (decode(f).length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat(f.offsetMs()).isLessThan(20);
    }

    @Test
    void jumpingTimestampsAreReanchoredOnMediaTime() throws Exception {
        Manifest.FileEntry f = file("jumpy");
        assertThat(f.offsetMs() + f.durationMs()).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat((long) (decode(f).length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
    }

    @Test
    void aSilentTrackIsRecordedAsSilence() throws Exception {
        short[] pcm = decode(file("silent"));
        assertThat((long) (pcm.length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat(Signals.rms(pcm, 0, TOTAL_MS)).isLessThan(5);
    }

    @Test
    void anSsrcChangeContinuesTheSameFile() throws Exception {
        Manifest.FileEntry f = file("ssrc");
        assertThat((long) (decode(f).length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat(f.gaps()).isEmpty();
    }

    @Test
    void leaveAndRejoinGiveTwoFilesAtTheirOffsets() throws Exception {
        Manifest.FileEntry before = file("before");
        Manifest.FileEntry after = file("after");
        assertThat(before.durationMs()).isBetween(2900L, 3100L);
        assertThat(after.offsetMs()).isBetween(4950L, 5050L);
        assertThat(after.offsetMs() + after.durationMs()).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat((long) (decode(after).length / 48)).isBetween(2900L, 3100L);
        ParticipantRecord p5 = manifest.participants().stream().filter(p -> p.participantId().equals("p5"))
                .findFirst().orElseThrow();
        assertThat(p5.joinedMs()).isBetween(0L, 20L);
        assertThat(p5.displayName()).isEqualTo("Rejoiner");
    }

    @Test
    void aMuteIsSilenceInTheFileAndAGapInTheManifest() throws Exception {
        Manifest.FileEntry f = file("muted");
        short[] pcm = decode(f);
        assertThat((long) (pcm.length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        assertThat(Signals.rms(pcm, 2100, 3900)).isLessThan(5);
        assertThat(f.gaps()).singleElement().satisfies(g -> {
            assertThat(g.reason()).isEqualTo("muted");
            assertThat(g.fromMs()).isBetween(1950L, 2050L);
            assertThat(g.toMs()).isBetween(3950L, 4050L);
        });
    }

    @Test
    void videoJoinedBetweenKeyframesAsksForOneAndStartsThere() throws Exception {
        Manifest.FileEntry f = file("late-screen");
        assertThat(f.source()).isEqualTo("screen");
        Path local = tmp.resolve("late-screen.webm");
        Files.write(local, s3.store().get(f.key()));
        assertThat(frames.get(30).keyframe()).isTrue();
        assertThat(frames.subList(5, 30)).noneMatch(WebmReader.Frame::keyframe);
        assertThat(Ffmpeg.videoFrames(local)).as("frames from the keyframe at 30 on").isEqualTo(80 - 30);
        assertThat(keyframeRequests).as("asked before any loss").contains("late-screen");
    }

    @Test
    void lostVideoWaitsForTheNextKeyframeAndAsksForOne() throws Exception {
        Manifest.FileEntry f = file("cam");
        Path local = tmp.resolve("cam.webm");
        Files.write(local, s3.store().get(f.key()));
        // Frames from 35 up to the next keyframe depend on the lost packet and are left out.
        int nextKey = 36;
        while (!frames.get(nextKey).keyframe()) {
            nextKey++;
        }
        assertThat(frames.get(35).keyframe()).isFalse();
        assertThat(Ffmpeg.videoFrames(local)).isEqualTo(35 + (80 - nextKey));
        assertThat(keyframeRequests).contains("cam");
    }

    @Test
    void unsupportedCodecsAndUnknownTracksAreIgnored() {
        assertThat(manifest.files()).noneMatch(f -> f.trackId().equals("h264") || f.trackId().equals("no-such-track"));
        assertThat(manifest.complete()).isTrue();
    }

    @Test
    void aZeroLengthRecordingFinalizesToAnEmptyManifest() throws Exception {
        recorder.startDirect("empty-meeting", 0);
        Manifest empty = recorder.stopAndFinalize("empty-meeting").get(60, TimeUnit.SECONDS);
        assertThat(empty.durationMs()).isZero();
        assertThat(empty.files()).isEmpty();
        assertThat(empty.complete()).isTrue();
        assertThat(s3.store().get("meetings/empty-meeting/recordings/" + empty.recordingId() + "/manifest.json"))
                .isNotNull();
    }

    @Test
    void withoutAMeetingClockTheFirstPacketStartsTheTimeLine() throws Exception {
        // Taps that replay a track published 30 s before the recording and give no clock.
        RecordingSession s = recorder.startDirect("no-clock", -1);
        long published = T0 - 30_000_000;
        s.trackStarted("p", "Early Bird", "a", RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000, published);
        List<byte[]> packets = Speech.encode(Speech.placed(Speech.load48k(
                "sense_and_sensibility_01_austen_64kb-0870.wav"), 0, 2000));
        for (int i = 0; i < packets.size(); i++) {
            s.packet("a", 3, i, 960L * i, true, packets.get(i), T0 + 20_000L * i);
        }
        Manifest m = recorder.stopAndFinalize("no-clock").get(60, TimeUnit.SECONDS);
        Manifest.FileEntry f = m.files().stream().filter(e -> e.trackId().equals("a")).findFirst().orElseThrow();
        assertThat(f.offsetMs()).isZero();
        assertThat(f.durationMs()).isBetween(1950L, 2050L);
        assertThat(m.durationMs()).isBetween(1950L, 2050L);
        assertThat(m.participants()).singleElement().satisfies(p -> assertThat(p.joinedMs()).isZero());
    }

    @Test
    void theMixStillCoversTheWholeMeeting() throws Exception {
        Manifest.FileEntry mix = manifest.files().stream().filter(f -> f.container().equals("ogg")
                && f.kind().equals("mixed")).findFirst().orElseThrow();
        assertThat((long) (decode(mix).length / 48)).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        List<String> kinds = new ArrayList<>();
        manifest.files().forEach(f -> kinds.add(f.kind()));
        assertThat(kinds).contains("mixed", "audio", "video");
    }
}
