package org.steno.pipeline.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.pipeline.testing.TestServers;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The final pass on a real s3proxy, with an engine that answers per track file. */
class FinalTranscriptPassTest {

    static final String M = "abc-defg-hij";
    static final String R = "rec-1";
    static final String P = "meetings/" + M + "/";
    static final Instant MEETING_START = Instant.parse("2026-12-01T09:00:00Z");
    static final Instant RECORDING_START = Instant.parse("2026-12-01T09:00:05Z");

    @TempDir
    Path dir;
    TestServers.S3 s3;
    S3Client client;

    /** An engine that answers per file content; a file it was not told about is unreadable to it. */
    static final class ScriptedEngine implements TrackTranscriber {
        final Map<String, List<Utterance>> answers;
        IOException down;
        int calls;

        ScriptedEngine(Map<String, List<Utterance>> answers) {
            this.answers = answers;
        }

        @Override
        public String engine() {
            return "whisperx";
        }

        @Override
        public String model() {
            return "large-v2";
        }

        @Override
        public List<Utterance> transcribe(byte[] file, String fileName, String language) throws UnreadableTrack, IOException {
            calls++;
            if (down != null) {
                throw down;
            }
            assertThat(fileName).isEqualTo("track.ogg");
            assertThat(language).isEqualTo("fr-FR");
            List<Utterance> u = answers.get(new String(file, StandardCharsets.UTF_8));
            if (u == null) {
                throw new UnreadableTrack("WhisperX could not read track.ogg (HTTP 400)");
            }
            return u;
        }
    }

    static TrackTranscriber.Utterance say(long startMs, long endMs, String voice, String text) {
        String[] words = text.isBlank() ? new String[0] : text.split(" ");
        List<TrackTranscriber.TimedWord> ws = new java.util.ArrayList<>();
        long step = words.length == 0 ? 0 : (endMs - startMs) / words.length;
        for (int i = 0; i < words.length; i++) {
            // The last word is one the engine could not align.
            boolean aligned = i < words.length - 1;
            ws.add(new TrackTranscriber.TimedWord(words[i], aligned ? startMs + i * step : -1, aligned ? startMs + (i + 1) * step : -1, 0.8f));
        }
        return new TrackTranscriber.Utterance(startMs, endMs, text, voice, ws);
    }

    @BeforeEach
    void start() throws Exception {
        s3 = TestServers.s3(dir);
        client = s3.settings().newClient();
        put(P + "recordings/" + R + "/manifest.json", """
                {"version":1,"meetingId":"%s","recordingId":"%s","startedAt":"%s","durationMs":60000,"complete":true,"files":[
                 {"key":"%srecordings/%s/mixed.ogg","kind":"mixed","displayName":"","trackId":"","offsetMs":0,"durationMs":60000,"source":""},
                 {"key":"%srecordings/%s/tracks/a1/track.ogg","kind":"audio","participantId":"p1","displayName":"Alice Martin","trackId":"a1","offsetMs":1000,"durationMs":50000,"source":"microphone"},
                 {"key":"%srecordings/%s/tracks/b1/track.ogg","kind":"audio","participantId":"p2","displayName":"Bob","trackId":"b1","offsetMs":0,"durationMs":60000,"source":"microphone"},
                 {"key":"%srecordings/%s/tracks/r1/track.ogg","kind":"audio","participantId":"p3","displayName":"Salle du conseil","trackId":"r1","offsetMs":0,"durationMs":60000,"source":"microphone"},
                 {"key":"%srecordings/%s/tracks/v1/track.webm","kind":"video","participantId":"p1","displayName":"Alice Martin","trackId":"v1","offsetMs":0,"durationMs":60000,"source":"screen"},
                 {"key":"meetings/other/recordings/x/tracks/z/track.ogg","kind":"audio","participantId":"p9","displayName":"Eve","trackId":"z","offsetMs":0,"durationMs":1,"source":"microphone"}]}
                """.formatted(M, R, RECORDING_START, P, R, P, R, P, R, P, R, P, R));
        put(P + "recordings/" + R + "/tracks/a1/track.ogg", "alice");
        put(P + "recordings/" + R + "/tracks/b1/track.ogg", "bob");
        put(P + "recordings/" + R + "/tracks/r1/track.ogg", "room");
        put(P + "recordings/" + R + "/tracks/v1/track.webm", "video");
        put("meetings/other/recordings/x/tracks/z/track.ogg", "eve");
        Transcript live = Transcript.newBuilder().setTranscriptId("live-0").setMeetingId(M).setTitle("Conseil municipal")
                .setLanguageCode("fr-FR").setCreateTime(Timestamps.fromMillis(MEETING_START.toEpochMilli() + 70_000))
                .setMeetingStartTime(Timestamps.fromMillis(MEETING_START.toEpochMilli()))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s1").setDisplayName("Alice Martin").setIdentity("local:alice").setParticipantId("p1"))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s3").setDisplayName("Salle du conseil").setParticipantId("p3")
                        .setIsDiarized(true).setDiarizationLabel("A"))
                .build();
        put(P + "transcripts/live-0/transcript.json", JsonFormat.printer().print(live));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        s3.close();
    }

    private void put(String key, String body) {
        client.putObject(b -> b.bucket("steno").key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private String get(String key) {
        return client.getObjectAsBytes(b -> b.bucket("steno").key(key)).asUtf8String();
    }

    private FinalTranscriptPass pass(TrackTranscriber engine) {
        return new FinalTranscriptPass(() -> client, "steno", engine, Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void everyMicrophoneTrackIsTranscribedWholeIntoAFinalVersionBesideTheLiveOne() throws Exception {
        String liveBefore = get(P + "transcripts/live-0/transcript.json");
        // The meeting reopened an hour later: that session's live transcript is newer, but not this recording's.
        put(P + "transcripts/live-1/transcript.json", JsonFormat.printer().print(Transcript.newBuilder().setTranscriptId("live-1")
                .setMeetingId(M).setLanguageCode("en-US").setCreateTime(Timestamps.fromMillis(MEETING_START.toEpochMilli() + 7_200_000))
                .setMeetingStartTime(Timestamps.fromMillis(MEETING_START.toEpochMilli() + 3_600_000)).build()));
        ScriptedEngine engine = new ScriptedEngine(Map.of(
                // Alice's own microphone: two voice labels are still one person.
                "alice", List.of(say(2000, 4000, "SPEAKER_00", "Le budget est adopté"), say(9000, 10000, "SPEAKER_01", "Merci")),
                "bob", List.of(say(500, 1500, "SPEAKER_00", "Bonjour à tous"), say(20000, 20000, "SPEAKER_00", " ")),
                // The room's shared microphone, diarized live: its voices stay apart.
                "room", List.of(say(3000, 3500, "SPEAKER_00", "Oui"), say(6000, 7000, "SPEAKER_01", "Non pas du tout"),
                        say(8000, 8500, "SPEAKER_00", "Si"))));
        FinalTranscriptPass.Result r = pass(engine).run(M, R);
        assertThat(r.transcriptKey()).isEqualTo(P + "transcripts/final-rec-1/transcript.json");
        assertThat(r.tracks()).as("three microphones; the screen, the mix and another meeting's file are not read").isEqualTo(3);
        assertThat(engine.calls).isEqualTo(3);
        for (String ext : List.of("vtt", "srt", "txt")) {
            assertThat(get(P + "transcripts/final-rec-1/transcript." + ext)).contains("Le budget est adopté");
        }
        Transcript.Builder b = Transcript.newBuilder();
        JsonFormat.parser().merge(get(r.transcriptKey()), b);
        Transcript t = b.build();
        assertThat(t.getTranscriptId()).isEqualTo("final-rec-1");
        assertThat(t.getRecordingId()).isEqualTo(R);
        assertThat(t.getTitle()).isEqualTo("Conseil municipal");
        assertThat(t.getStatus()).isEqualTo(TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE);
        assertThat(Timestamps.toMillis(t.getMeetingStartTime())).as("the live transcript's time line").isEqualTo(MEETING_START.toEpochMilli());
        assertThat(t.getProcessing().getRecognizer().getName()).isEqualTo("whisperx");
        assertThat(t.getSpeakersList()).extracting(s -> s.getDisplayName() + "|" + s.getIdentity() + "|" + s.getIsDiarized())
                .containsExactlyInAnyOrder("Alice Martin|local:alice|false", "Bob||false", "Salle du conseil||true",
                        "Salle du conseil (2)||true");
        // Media times on the meeting's line: the recording began 5 s in, Alice's track 1 s into the recording.
        assertThat(t.getSegmentsList()).extracting(s -> ms(s.getMediaStart()) + " " + name(t, s) + ": " + s.getText()).containsExactly(
                "5500 Bob: Bonjour à tous",
                "8000 Alice Martin: Le budget est adopté",
                "8000 Salle du conseil: Oui",
                "11000 Salle du conseil (2): Non pas du tout",
                "13000 Salle du conseil: Si",
                "15000 Alice Martin: Merci");
        Segment budget = t.getSegmentsList().stream().filter(s -> s.getText().startsWith("Le budget")).findFirst().orElseThrow();
        assertThat(budget.getWordsList()).extracting(w -> w.getText() + "@" + ms(w.getMediaStart()) + "-" + ms(w.getMediaEnd()))
                .as("the unaligned last word takes its share of the segment").containsExactly(
                        "Le@8000-8500", "budget@8500-9000", "est@9000-9500", "adopté@9500-10000");
        assertThat(get(P + "transcripts/live-0/transcript.json")).as("the live version is kept as it was").isEqualTo(liveBefore);
    }

    @Test
    void anUnreadableTrackIsAGapAndAnEngineThatIsDownWritesNothing() throws Exception {
        ScriptedEngine engine = new ScriptedEngine(Map.of("bob", List.of(say(500, 1500, "", "Bonjour"))));
        FinalTranscriptPass.Result r = pass(engine).run(M, R);
        assertThat(r.gaps()).isEqualTo(2);
        Transcript.Builder b = Transcript.newBuilder();
        JsonFormat.parser().merge(get(r.transcriptKey()), b);
        assertThat(b.getStatus()).isEqualTo(TranscriptStatus.TRANSCRIPT_STATUS_PARTIAL);
        assertThat(b.getGapsList()).extracting(g -> g.getTrackId() + " " + ms(g.getMediaStart()) + "-" + ms(g.getMediaEnd()) + " " + g.getReason())
                .containsExactly("a1 6000-56000 WhisperX could not read track.ogg (HTTP 400)",
                        "r1 5000-65000 WhisperX could not read track.ogg (HTTP 400)");

        client.deleteObject(x -> x.bucket("steno").key(P + "transcripts/final-rec-1/transcript.json"));
        engine.down = new IOException("WhisperX at http://gpu-1:8000/v1/audio/transcriptions: unreachable");
        assertThatThrownBy(() -> pass(engine).run(M, R)).isInstanceOf(IOException.class);
        assertThat(client.listObjectsV2(x -> x.bucket("steno").prefix(P + "transcripts/final-rec-1/transcript.json")).contents())
                .as("nothing half-written as the final version").isEmpty();

        assertThatThrownBy(() -> pass(engine).run(M, "rec-9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no finished recording");
        put(P + "recordings/rec-8/manifest.json", "{\"startedAt\":\"yesterday\",\"files\":[]}");
        assertThatThrownBy(() -> pass(engine).run(M, "rec-8")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not readable");
    }

    private static String name(Transcript t, Segment s) {
        return t.getSpeakersList().stream().filter(x -> x.getSpeakerId().equals(s.getSpeakerId())).findFirst().orElseThrow().getDisplayName();
    }

    private static long ms(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
}
