package org.steno.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.store.SegmentSpool;

/**
 * Three speakers (real speech, Opus-encoded), one camera (real VP8), reordering and loss, through
 * the recorder into a real S3 endpoint; the final files are read back with FFmpeg's own tools.
 */
class RecordingEndToEndTest {

    static final long T0 = 5_000_000; // the meeting's media clock when recording starts
    static final long TOTAL_MS = 14_000;
    static final long[][] SPEECH = {{500, 0}, {4000, 0}, {7800, 0}}; // start ms, filled with length below
    static final String[] WAVS = {"sense_and_sensibility_01_austen_64kb-0880.wav",
        "sense_and_sensibility_01_austen_64kb-0930.wav", "sense_and_sensibility_01_austen_64kb-0890.wav"};

    @TempDir
    static Path tmp;
    static TestS3 s3;
    static Manifest manifest;
    static final Map<String, Path> files = new HashMap<>();
    static RecordingSession session;

    @BeforeAll
    static void record() throws Exception {
        s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")));
        Recorder recorder = new Recorder(s3.store(), tmp.resolve("data"),
                RecorderSettings.defaults().withSegmentMillis(2000).withMinFreeBytes(1 << 20), RecordingTaps.none(),
                RecorderEvents.NONE);
        recorder.start();
        MeetingScript script = new MeetingScript();
        for (int i = 0; i < 3; i++) {
            short[] speech = Speech.load48k(WAVS[i]);
            SPEECH[i][1] = SPEECH[i][0] + speech.length / 48;
            List<byte[]> packets = Speech.encode(Speech.placed(speech, SPEECH[i][0], TOTAL_MS));
            // Sequence numbers start just before the 16-bit wrap; B's packets are reordered, C loses 1 in 97.
            script.opusTrack("p" + i, "Speaker " + (char) ('A' + i), "audio" + i, 1000 + i, T0, packets,
                    65_500 - i * 7, 4_294_000_000L + i, i == 2 ? 97 : 0, i == 1 ? 25 : 0);
        }
        script.vp8Track("p0", "Speaker A", "video0", 2000, T0, Vp8Source.frames(tmp, 140, 10, 30), 10, 300);
        // Speaker B shares a screen from 3 s on, beside a camera of his own: two video tracks of one person.
        script.vp8Track("p1", "Speaker B", "video1", 2001, T0, Vp8Source.frames(tmp, 40, 10, 30), 10, 300);
        script.vp8Track("p1", "Speaker B", "screen1", RecordingInput.Source.SCREEN, 2002, T0 + 3_000_000,
                Vp8Source.frames(tmp, 50, 10, 30), 10, 300);
        session = recorder.startDirect("meeting-1", T0);
        script.play(session);
        manifest = recorder.stopAndFinalize("meeting-1").get(120, TimeUnit.SECONDS);
        recorder.close();
        for (Manifest.FileEntry f : manifest.files()) {
            Path local = tmp.resolve(f.key().replace('/', '_'));
            Files.write(local, s3.store().get(f.key()));
            files.put(f.key(), local);
        }
    }

    @AfterAll
    static void cleanup() throws Exception {
        s3.close();
    }

    static Manifest.FileEntry file(String kind, String trackId, String container) {
        return manifest.files().stream()
                .filter(f -> f.kind().equals(kind) && f.trackId().equals(trackId) && f.container().equals(container))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + trackId + " in " + manifest));
    }

    @Test
    void manifestListsEveryFileAndParticipant() throws Exception {
        assertThat(manifest.files()).extracting(Manifest.FileEntry::key).containsExactlyInAnyOrder(
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p0-audio0/track.ogg",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p1-audio1/track.ogg",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p2-audio2/track.ogg",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p0-video0/track.webm",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p1-video1/track.webm",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/tracks/p1-screen1/track.webm",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/mixed.ogg",
                "meetings/meeting-1/recordings/" + manifest.recordingId() + "/mixed.m4a");
        assertThat(manifest.participants()).extracting(ParticipantRecord::displayName)
                .containsExactly("Speaker A", "Speaker B", "Speaker C");
        assertThat(manifest.complete()).isTrue();
        assertThat(manifest.durationMs()).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        for (Manifest.FileEntry f : manifest.files()) {
            assertThat(SegmentSpool.sha256(files.get(f.key()))).as(f.key()).isEqualTo(f.sha256());
            assertThat(Files.size(files.get(f.key()))).isEqualTo(f.bytes());
        }
        // Segments are gone once the final files exist.
        List<String> left = s3.store().list("meetings/meeting-1/");
        assertThat(left.stream().filter(k -> k.contains("segment-")).collect(Collectors.toList())).isEmpty();
        assertThat(left).contains("meetings/meeting-1/recordings/" + manifest.recordingId() + "/manifest.json");
    }

    @Test
    void audioFilesDecodeWithTheMeetingsDuration() throws Exception {
        for (Manifest.FileEntry f : manifest.files()) {
            if (f.kind().equals("video")) {
                continue;
            }
            Path p = files.get(f.key());
            assertThat(Ffmpeg.codec(p)).as(f.key()).isEqualTo(f.container().equals("m4a") ? "aac" : "opus");
            long decoded = Ffmpeg.decode(p).length / 48;
            assertThat(decoded).as("decoded length of " + f.key()).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
            assertThat(f.offsetMs() + f.durationMs()).as(f.key()).isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
            assertThat(Ffmpeg.decodedDurationMs(p)).as("ffprobe duration of " + f.key())
                    .isBetween(TOTAL_MS - 100, TOTAL_MS + 100);
        }
    }

    @Test
    void videoIsVp8InWebmWithItsFrames() throws Exception {
        Manifest.FileEntry v = file("video", "video0", "webm");
        Path p = files.get(v.key());
        assertThat(Ffmpeg.codec(p)).isEqualTo("vp8");
        assertThat(Ffmpeg.videoFrames(p)).isEqualTo(140);
        assertThat(v.width()).isEqualTo(160);
        assertThat(v.offsetMs()).isBetween(0L, 20L);
        assertThat(v.durationMs()).isBetween(13_900L - 100, 14_000L + 100);
    }

    @Test
    void aSharedScreenIsAVideoFileOfItsOwnNamedScreenBesideTheCamera() throws Exception {
        Manifest.FileEntry screen = file("video", "screen1", "webm");
        Manifest.FileEntry camera = file("video", "video1", "webm");
        assertThat(screen.source()).isEqualTo("screen");
        assertThat(camera.source()).isEqualTo("camera");
        assertThat(screen.displayName()).isEqualTo(camera.displayName()).isEqualTo("Speaker B");
        assertThat(Ffmpeg.videoFrames(files.get(screen.key()))).isEqualTo(50);
        assertThat(Ffmpeg.videoFrames(files.get(camera.key()))).isEqualTo(40);
        assertThat(screen.offsetMs()).as("the share starts 3 s in").isBetween(2_980L, 3_100L);
        assertThat(manifest.files()).filteredOn(f -> f.kind().equals("audio")).extracting(Manifest.FileEntry::source)
                .containsOnly("microphone");
        assertThat(manifest.files()).filteredOn(f -> f.kind().equals("mixed")).extracting(Manifest.FileEntry::source)
                .containsOnly("");
        // The manifest in the bucket says so too (what the archive reads).
        String json = new String(s3.store().get("meetings/meeting-1/recordings/" + manifest.recordingId() + "/manifest.json"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).containsPattern("\"source\"\\s*:\\s*\"screen\"");
    }

    @Test
    void eachTrackHasSpeechWhereItsSpeakerSpokeAndSilenceElsewhere() throws Exception {
        for (int i = 0; i < 3; i++) {
            Manifest.FileEntry f = file("audio", "audio" + i, "ogg");
            short[] pcm = Ffmpeg.decode(files.get(f.key()));
            double[] line = Signals.atOffset(pcm, f.offsetMs(), (int) (TOTAL_MS * 48));
            short[] onLine = new short[line.length];
            for (int k = 0; k < line.length; k++) {
                onLine[k] = (short) line[k];
            }
            double speech = Signals.rms(onLine, SPEECH[i][0] + 200, SPEECH[i][1] - 200);
            double before = Signals.rms(onLine, 0, SPEECH[i][0] - 100);
            double after = Signals.rms(onLine, SPEECH[i][1] + 200, TOTAL_MS);
            assertThat(speech).as("speech energy of track " + i).isGreaterThan(300);
            if (SPEECH[i][0] > 200) {
                assertThat(before).as("silence before speaker " + i).isLessThan(speech / 30);
            }
            assertThat(after).as("silence after speaker " + i).isLessThan(speech / 30);
        }
    }

    @Test
    void mixCorrelatesWithTheSumOfTracksAndTracksAlignWithin20Ms() throws Exception {
        int n = (int) (TOTAL_MS * 48);
        double[] sum = new double[n];
        double[][] tracks = new double[3][];
        for (int i = 0; i < 3; i++) {
            Manifest.FileEntry f = file("audio", "audio" + i, "ogg");
            tracks[i] = Signals.atOffset(Ffmpeg.decode(files.get(f.key())), f.offsetMs(), n);
            for (int k = 0; k < n; k++) {
                sum[k] += tracks[i][k];
            }
        }
        Manifest.FileEntry mixed = file("mixed", "mixed", "ogg");
        double[] mix = Signals.atOffset(Ffmpeg.decode(files.get(mixed.key())), mixed.offsetMs(), n);
        // Loudness over 20 ms windows: robust to the codec's waveform changes, sensitive to who spoke when.
        assertThat(Signals.correlation(Signals.envelope(sum, 960), Signals.envelope(mix, 960), 0))
                .as("mix vs sum of tracks").isGreaterThan(0.9);
        int window = 120; // 2.5 ms, for alignment
        double[] mixEnv = Signals.envelope(mix, window);
        for (int i = 0; i < 3; i++) {
            int lag = Signals.bestLag(Signals.envelope(tracks[i], window), mixEnv, 40);
            assertThat(Math.abs(lag * 2.5)).as("offset of track " + i + " against the mix, ms").isLessThanOrEqualTo(20);
            // With the encoder's look-ahead declared as pre-skip the mix is in step to the 2.5 ms window.
            assertThat(Math.abs(lag)).as("track " + i + " lag in 2.5 ms windows").isLessThanOrEqualTo(1);
        }
        Manifest.FileEntry m4a = file("mixed", "mixed", "m4a");
        double[] aac = Signals.atOffset(Ffmpeg.decode(files.get(m4a.key())), m4a.offsetMs(), n);
        assertThat(Math.abs(Signals.bestLag(mixEnv, Signals.envelope(aac, window), 40) * 2.5))
                .as("m4a against mixed.ogg, ms").isLessThanOrEqualTo(30);
    }

    @Test
    void lossIsFilledAndReorderingRepaired() {
        // C lost 1 packet in 97: each hole is one 20 ms silence packet, too short for a manifest gap,
        // and the durations above prove the holes were filled. B's swapped packets were all written.
        assertThat(session.droppedEvents()).isZero();
        assertThat(file("audio", "audio1", "ogg").gaps()).isEmpty();
    }
}
