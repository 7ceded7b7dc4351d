package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.PlatformRole;
import org.steno.models.whisperx.WhisperXStandIn;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import org.steno.simulator.Simulation;
import org.steno.simulator.SimulationReport;
import org.steno.simulator.signal.HttpDeployment;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * The post-meeting pass on the defaults of {@code steno up} plus {@code models.batch.engine=whisperx}
 * pointed at a stand-in of La Suite Meet's WhisperX service: two participants of the load client
 * talk in a meeting its owner records from the start; the owner ends it; the recording is
 * finalized, each microphone track goes to WhisperX as the Ogg file stored, and the meeting's
 * archive lists the {@code final-<recording>} transcript first, its speakers the participants.
 */
class FinalTranscriptEndToEndTest {

    static final String KEY = "wx-key-7";

    @TempDir
    Path tmp;

    @Test
    void aRecordedMeetingGetsItsFinalTranscriptFromWhisperX() throws Exception {
        try (WhisperXStandIn whisperx = new WhisperXStandIn(KEY)) {
            whisperx.answerOthers("""
                    {"language":"en","segments":[{"start":0.5,"end":2.0,"text":" Hello everyone.","speaker":"SPEAKER_00",
                      "words":[{"word":" Hello","start":0.5,"end":1.0,"score":0.9},{"word":"everyone.","start":1.1,"end":2.0,"score":0.8}]}],
                     "word_segments":[]}""");
            StenoProcess started = TestConfigs.startUp(tmp.resolve("data"), Map.of(
                    "STENO_MODELS_BATCH_ENGINE", "whisperx",
                    "STENO_MODELS_BATCH_WHISPERX_URL", whisperx.url().toString(),
                    "STENO_MODELS_BATCH_WHISPERX_API_KEY", KEY));
            java.util.concurrent.ExecutorService http = java.util.concurrent.Executors.newFixedThreadPool(2);
            try (StenoProcess p = started) {
                WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
                String meeting = owner.createMeeting("Weekly", "public");
                assertThat(owner.post("/api/meetings/" + meeting + "/settings", "{\"recordOnStart\": true}").statusCode()).isEqualTo(200);

                SimulationReport report = new Simulation(new Simulation.Settings(meeting, 2, 2, 0, Duration.ofSeconds(6)))
                        .run(new HttpDeployment(URI.create("http://127.0.0.1:" + p.httpPort()), http), new PrintStream(new ByteArrayOutputStream()));
                assertThat(report.connected()).isEqualTo(2);
                var ended = owner.post("/api/meetings/" + meeting + "/end", "{}");
                assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);

                S3Target target = p.storageTarget();
                JsonNode finalOne = null;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (finalOne == null && System.nanoTime() < deadline) {
                    for (JsonNode t : owner.json(owner.get("/api/meetings/" + meeting + "/archive")).path("transcripts")) {
                        if (t.path("transcriptId").asString().startsWith("final-")) {
                            finalOne = t;
                        }
                    }
                    Thread.sleep(200); // poll step: the recording finalizes, then WhisperX answers
                }
                assertThat(finalOne).as("the final transcript is listed within 60 s of the end").isNotNull();
                JsonNode listing = owner.json(owner.get("/api/meetings/" + meeting + "/archive"));
                assertThat(listing.path("transcripts").get(0).path("transcriptId").asString()).as("the newest version first")
                        .isEqualTo(finalOne.path("transcriptId").asString());
                assertThat(listing.path("transcripts").get(0).path("version").asString()).isEqualTo("final");
                String recordingId = listing.path("recordings").get(0).path("recordingId").asString();
                assertThat(finalOne.path("transcriptId").asString()).isEqualTo("final-" + recordingId);

                assertThat(whisperx.calls()).as("one request per microphone track").hasSize(2).allSatisfy(c -> {
                    assertThat(c.authorization()).isEqualTo("Bearer " + KEY);
                    assertThat(c.fields().get("response_format")).containsExactly("diarized_json");
                    assertThat(c.fileName()).isEqualTo("track.ogg");
                    assertThat(c.fileBytes()).isGreaterThan(1000);
                });
                try (S3Client s3 = S3Storage.newClient(target)) {
                    String json = s3.getObjectAsBytes(b -> b.bucket(target.bucket())
                            .key("meetings/" + meeting + "/transcripts/final-" + recordingId + "/transcript.json")).asUtf8String();
                    Transcript.Builder t = Transcript.newBuilder();
                    JsonFormat.parser().merge(json, t);
                    assertThat(t.getSpeakersList()).extracting(s -> s.getDisplayName()).hasSize(2)
                            .allSatisfy(n -> assertThat(n).startsWith("Sim "));
                    assertThat(t.getSegmentsList()).hasSize(2).allSatisfy(s -> assertThat(s.getText()).isEqualTo("Hello everyone."));
                    assertThat(t.getProcessing().getRecognizer().getName()).isEqualTo("whisperx");
                    assertThat(s3.getObjectAsBytes(b -> b.bucket(target.bucket())
                            .key("meetings/" + meeting + "/transcripts/final-" + recordingId + "/transcript.vtt")).asUtf8String())
                            .startsWith("WEBVTT").contains("Hello everyone.");
                }
                JsonNode ready = owner.json(owner.get("/readyz"));
                assertThat(ready.toString()).contains("final-transcripts").doesNotContain(KEY);
            } finally {
                http.shutdownNow();
            }
        }
    }
}
