package org.steno.server.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.whisperx.WhisperXStandIn;
import org.steno.server.TestConfigs;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code steno transcribe --meeting}: a meeting recorded before the pass was configured gets its
 * final transcript on demand, from the bucket of a stopped {@code steno up} (the tool serves the
 * embedded store itself), audited; without the pass configured, or for a meeting with no
 * recording, a clear refusal.
 */
class FinalPassToolTest {

    @TempDir
    Path tmp;

    private int run(Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return FinalPassTool.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMeetingRecordedEarlierGetsItsFinalTranscriptOnDemand() throws Exception {
        Path data = tmp.resolve("data");
        String meeting = "abc-defg-hij";
        try (StenoProcess p = TestConfigs.startUp(data, Map.of())) {
            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                String rp = "meetings/" + meeting + "/recordings/rec-1/";
                s3.putObject(b -> b.bucket(target.bucket()).key(rp + "tracks/a1/track.ogg"), RequestBody.fromString("OggS alice"));
                s3.putObject(b -> b.bucket(target.bucket()).key(rp + "manifest.json"), RequestBody.fromString("""
                        {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-12-01T09:00:00Z","durationMs":5000,"files":[
                         {"key":"%stracks/a1/track.ogg","kind":"audio","participantId":"p1","displayName":"Alice","trackId":"a1",
                          "offsetMs":0,"durationMs":5000,"source":"microphone"}]}""".formatted(meeting, rp)));
            }
        }
        try (WhisperXStandIn whisperx = new WhisperXStandIn("k")) {
            whisperx.answerOthers("{\"segments\":[{\"start\":1,\"end\":2,\"text\":\"Bonjour.\",\"speaker\":\"SPEAKER_00\",\"words\":[]}]}");
            Map<String, String> env = new HashMap<>(ConfigLoader.ephemeralEnv(data));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(run(env, out, err, "--meeting", meeting)).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs models.batch.engine=whisperx");

            env.put("STENO_MODELS_BATCH_ENGINE", "whisperx");
            env.put("STENO_MODELS_BATCH_WHISPERX_URL", whisperx.url().toString());
            env.put("STENO_MODELS_BATCH_WHISPERX_API_KEY", "k");
            err.reset();
            assertThat(run(env, out, err, "--meeting", "../etc")).isEqualTo(2);
            assertThat(run(env, out, err, "--meeting", "zzz-zzzz-zzz")).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("has no finished recording");

            out.reset();
            err.reset();
            assertThat(run(env, out, err, "--meeting", meeting)).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("recording rec-1: meetings/" + meeting
                    + "/transcripts/final-rec-1/transcript.json (1 tracks, 1 segments, 0 gaps)");
            assertThat(whisperx.calls()).hasSize(1);

            // Under legal hold, nothing of the meeting is rewritten.
            try (org.steno.identity.Database db = org.steno.server.identity.IdentityRole.open(ConfigLoader.load(null, env))) {
                new org.steno.identity.LegalHolds(db).place(meeting, "Inquiry 12", "local:auditor", java.time.Instant.now());
            }
            err.reset();
            assertThat(run(env, out, err, "--meeting", meeting)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("is under legal hold");
            assertThat(whisperx.calls()).hasSize(1);
        }
        try (StenoProcess p = TestConfigs.startUp(data, Map.of())) {
            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                assertThat(s3.getObjectAsBytes(b -> b.bucket(target.bucket())
                        .key("meetings/" + meeting + "/transcripts/final-rec-1/transcript.txt")).asUtf8String()).contains("Bonjour.");
            }
            assertThat(p.identity().auditLog().all()).filteredOn(e -> e.action().equals("TRANSCRIPT.FINAL_PASS"))
                    .extracting(e -> e.resource() + " " + e.outcome() + " " + e.reason())
                    .containsExactly("meeting:zzz-zzzz-zzz ALLOWED started", "meeting:zzz-zzzz-zzz DENIED no finished recording",
                            "meeting:" + meeting + " ALLOWED started", "meeting:" + meeting + " ALLOWED final transcripts of [rec-1]",
                            "meeting:" + meeting + " DENIED refused: the meeting is under legal hold");
        }
    }
}
