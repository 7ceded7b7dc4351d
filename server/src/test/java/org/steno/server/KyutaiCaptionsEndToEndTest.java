package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.models.kyutai.standin.MoshiStandIn;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import org.steno.server.tools.ReplayTool;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code ./steno up} with {@code models.engine=kyutai} pointed at the stand-in moshi-server: two
 * librivox speakers replayed through MediaIngest get live captions under their names, through the
 * whole pipeline (segmentation, the Kyutai adapter over a WebSocket, transcript assembly, caption
 * fan-out), and the stored transcript holds exactly the words the stand-in said on each speaker's
 * connection: WER 0 of the plumbing (the stand-in is no recognizer; it says the next word of its
 * text for every loud run of audio).
 */
class KyutaiCaptionsEndToEndTest {

    static final String TEXT = "public services meet here and every word said in a meeting reaches the subtitles "
            + "of all who listen while the archive keeps the transcript for auditors who search it later";

    @TempDir
    Path dataDir;

    @Test
    void captionsComeFromTheKyutaiServerThroughThePipeline() throws Exception {
        try (MoshiStandIn kyutai = new MoshiStandIn(MoshiStandIn.Options.defaults(List.of(TEXT.split(" "))))) {
            Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
            env.put("STENO_MODELS_ENGINE", "kyutai");
            env.put("STENO_MODELS_KYUTAI_URL", kyutai.url().toString());
            env.put("STENO_MODELS_KYUTAI_API_KEY", "public_token");
            try (StenoProcess steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), Access.allowAll())) {
                steno.start();
                assertThat(LiveCaptionsEndToEndTest.readyz(steno)).contains("Kyutai server " + kyutai.url() + "/api/asr-streaming answers");
                Meeting meeting = steno.conference().registry().create("Kyutai captions");
                meeting.setCaptions(true, "en-US");
                LiveCaptionsEndToEndTest.Collector captions = new LiveCaptionsEndToEndTest.Collector();
                WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meeting.id() + "/captions"), captions)
                        .get(5, TimeUnit.SECONDS);

                Map<String, String> speakers = Map.of("Alice", "0870", "Bob", "0880");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                List<String> replay = new ArrayList<>(List.of("--meeting", meeting.id()));
                speakers.forEach((name, file) -> replay.addAll(List.of("--speaker", name + "=" + LiveCaptionsEndToEndTest.wav(file))));
                replay.addAll(List.of("--realtime", "--server", "127.0.0.1:" + steno.grpcPort(),
                        "--token-file", steno.config().dataDir().resolve("service-token").toString()));
                int code = ReplayTool.run(replay.toArray(new String[0]), new PrintStream(out), new PrintStream(out));
                assertThat(code).as(out.toString()).isZero();

                long deadline = System.currentTimeMillis() + 90_000;
                while (System.currentTimeMillis() < deadline && !(has(captions, "Alice") && has(captions, "Bob"))) {
                    Thread.sleep(200);
                }
                assertThat(has(captions, "Alice")).as("a final caption for Alice").isTrue();
                assertThat(has(captions, "Bob")).as("a final caption for Bob").isTrue();
                assertThat(kyutai.saidWords()).isNotEmpty();
                // Every caption word is one of the stand-in's: they came from it, not from pocketsphinx.
                assertThat(captions.messages.stream().filter(m -> m.contains("CAPTION_KIND_FINAL")).findFirst().orElseThrow())
                        .contains("\"text\":\"public services");

                steno.conference().registry().end(meeting.id(), EndReason.ENDED_BY_HOST);
                String transcript = storedTranscript(steno, meeting.id());
                assertThat(transcript).contains("\"displayName\": \"Alice\"").contains("\"displayName\": \"Bob\"");

                // The words per speaker in the stored transcript are what the stand-in said on that speaker's connection.
                Map<String, List<String>> byName = wordsBySpeaker(transcript);
                List<List<String>> said = kyutai.connections().stream().map(c -> LiveCaptionsEndToEndTest.tokens(String.join(" ", c.said())))
                        .filter(w -> !w.isEmpty()).toList();
                int errors = 0;
                int words = 0;
                for (String name : speakers.keySet()) {
                    List<String> hyp = byName.getOrDefault(name, List.of());
                    List<String> ref = said.stream().min((a, b) -> Integer.compare(LiveCaptionsEndToEndTest.editDistance(a, hyp),
                            LiveCaptionsEndToEndTest.editDistance(b, hyp))).orElseThrow();
                    errors += LiveCaptionsEndToEndTest.editDistance(ref, hyp);
                    words += ref.size();
                    assertThat(hyp).as("%s's words", name).isEqualTo(ref);
                }
                System.out.printf(java.util.Locale.ROOT, "Kyutai stand-in through the pipeline: %d words, %d connections, WER of the plumbing %.1f %%%n",
                        words, kyutai.connections().size(), 100.0 * errors / words);
                assertThat(said).hasSize(2);
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean has(LiveCaptionsEndToEndTest.Collector c, String name) {
        return c.messages.stream().anyMatch(m -> m.contains("\"speakerDisplayName\":\"" + name + "\"") && m.contains("CAPTION_KIND_FINAL"));
    }

    private static String storedTranscript(StenoProcess steno, String meetingId) throws Exception {
        S3Target t = steno.storageTarget();
        try (S3Client s3 = S3Storage.newClient(t)) {
            Optional<String> json = Optional.empty();
            long deadline = System.currentTimeMillis() + 60_000;
            while (json.isEmpty() && System.currentTimeMillis() < deadline) {
                json = s3.listObjectsV2(b -> b.bucket(t.bucket()).prefix("meetings/" + meetingId + "/transcripts/"))
                        .contents().stream().map(S3Object::key).filter(k -> k.endsWith("/transcript.json")).findFirst();
                Thread.sleep(250);
            }
            assertThat(json).as("transcript.json in S3").isPresent();
            String key = json.get();
            return s3.getObjectAsBytes(b -> b.bucket(t.bucket()).key(key)).asUtf8String();
        }
    }

    private static Map<String, List<String>> wordsBySpeaker(String transcriptJson) throws Exception {
        org.steno.proto.transcript.v1.Transcript.Builder tb = org.steno.proto.transcript.v1.Transcript.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(transcriptJson, tb);
        Map<String, String> nameOf = new HashMap<>();
        tb.getSpeakersList().forEach(sp -> nameOf.put(sp.getSpeakerId(), sp.getDisplayName()));
        return tb.getSegmentsList().stream().collect(Collectors.groupingBy(sg -> nameOf.getOrDefault(sg.getSpeakerId(), "?"),
                Collectors.collectingAndThen(Collectors.mapping(sg -> sg.getText(), Collectors.joining(" ")), LiveCaptionsEndToEndTest::tokens)));
    }
}
