package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import org.steno.server.tools.ReplayTool;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The embedded default end to end with the real parts: a meeting turns captions on, the
 * embedded Flink pipeline starts, {@code steno replay} feeds two librivox speakers through
 * MediaIngest, the embedded pocketsphinx Transcriber recognises them, captions reach the
 * meeting's caption WebSocket under the speakers' names, and when the meeting ends the
 * transcript (json, vtt, srt, txt) is in S3 with a WER within 2 points of {@code steno transcribe}.
 */
class LiveCaptionsEndToEndTest {

    static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    @TempDir
    Path dataDir;

    static final class Collector implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                messages.add(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    static String readyz(StenoProcess steno) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + "/readyz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void replayedSpeakersGetLiveCaptionsAndAStoredTranscript() throws Exception {
        try (StenoProcess steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll())) {
            steno.start();
            Meeting meeting = steno.conference().registry().create("Captions end to end");
            meeting.setCaptions(true, "en-US");

            // People speak as soon as the host turns captions on, while the embedded pipeline is
            // still starting (the first meeting after boot waits seconds for it): the pipeline
            // starts from when captions went on, out of MediaTap's ring, and loses nothing.
            Collector captions = new Collector();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meeting.id() + "/captions"), captions)
                    .get(5, TimeUnit.SECONDS);

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> replay = new java.util.ArrayList<>(List.of("--meeting", meeting.id()));
            for (Map.Entry<String, String> e : SPEAKERS.entrySet()) {
                replay.addAll(List.of("--speaker", e.getKey() + "=" + wav(e.getValue())));
            }
            replay.addAll(List.of("--realtime", "--server", "127.0.0.1:" + steno.grpcPort(), "--token-file", steno.config().dataDir().resolve("service-token").toString()));
            int code = ReplayTool.run(replay.toArray(new String[0]), new PrintStream(out), new PrintStream(out));
            assertThat(code).as(out.toString()).isZero();

            long deadline = System.currentTimeMillis() + 90_000;
            while (!readyz(steno).contains("RUNNING on the embedded MiniCluster") && System.currentTimeMillis() < deadline) {
                Thread.sleep(250);
            }
            assertThat(readyz(steno)).contains("RUNNING on the embedded MiniCluster");
            deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !(has(captions, "Alice", "CAPTION_KIND_FINAL")
                    && has(captions, "Bob", "CAPTION_KIND_FINAL"))) {
                Thread.sleep(200);
            }
            assertThat(captions.messages).anyMatch(m -> m.contains("\"speakerDisplayName\":\"Alice\"") && m.contains("CAPTION_KIND_FINAL"));
            assertThat(captions.messages).anyMatch(m -> m.contains("\"speakerDisplayName\":\"Bob\"") && m.contains("CAPTION_KIND_FINAL"));

            steno.conference().registry().end(meeting.id(), EndReason.ENDED_BY_HOST);
            S3Target t = steno.storageTarget();
            try (S3Client s3 = S3Storage.newClient(t)) {
                Optional<String> json = Optional.empty();
                deadline = System.currentTimeMillis() + 60_000;
                while (json.isEmpty() && System.currentTimeMillis() < deadline) {
                    json = s3.listObjectsV2(b -> b.bucket(t.bucket()).prefix("meetings/" + meeting.id() + "/transcripts/"))
                            .contents().stream().map(S3Object::key).filter(k -> k.endsWith("/transcript.json")).findFirst();
                    Thread.sleep(250);
                }
                assertThat(json).as("transcript.json in S3").isPresent();
                String key = json.get();
                String transcript = s3.getObjectAsBytes(b -> b.bucket(t.bucket()).key(key)).asUtf8String();
                assertThat(transcript).contains("\"displayName\": \"Alice\"").contains("\"displayName\": \"Bob\"")
                        .contains("TRANSCRIPT_STATUS_COMPLETE").doesNotContain("\"gaps\"");
                String vtt = s3.getObjectAsBytes(b -> b.bucket(t.bucket()).key(key.replace(".json", ".vtt"))).asUtf8String();
                assertThat(vtt).startsWith("WEBVTT").contains("<v Alice>");
                werAgainstSteno(transcript);
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    /** Speaker → librivox utterance; each speaker reads one file. */
    static final Map<String, String> SPEAKERS = new java.util.LinkedHashMap<>();

    static {
        SPEAKERS.put("Alice", "0870");
        SPEAKERS.put("Bob", "0880");
        SPEAKERS.put("Carol", "0890");
        SPEAKERS.put("Dan", "0920");
        SPEAKERS.put("Eve", "0930");
    }

    static Path wav(String n) {
        return LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-" + n + ".wav");
    }

    /**
     * The pipeline must lose nothing: its WER over the five utterances is within 2 points of
     * {@code steno transcribe} (same engine, whole files) against the reference transcription.
     */
    private void werAgainstSteno(String transcriptJson) throws Exception {
        org.steno.proto.transcript.v1.Transcript.Builder tb = org.steno.proto.transcript.v1.Transcript.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(transcriptJson, tb);
        Map<String, String> nameOf = new java.util.HashMap<>();
        tb.getSpeakersList().forEach(sp -> nameOf.put(sp.getSpeakerId(), sp.getDisplayName()));
        Map<String, String> references = references();
        int errorsPipeline = 0;
        int errorsSteno = 0;
        int words = 0;
        for (Map.Entry<String, String> e : SPEAKERS.entrySet()) {
            String hyp = tb.getSegmentsList().stream().filter(sg -> e.getKey().equals(nameOf.get(sg.getSpeakerId())))
                    .map(sg -> sg.getText()).collect(java.util.stream.Collectors.joining(" "));
            Path json = dataDir.resolve(e.getValue() + ".json");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            int code = org.steno.server.tools.TranscribeTool.run(new String[] {wav(e.getValue()).toString(), "--format", "json",
                    "--out", json.toString()}, new PrintStream(log), new PrintStream(log));
            assertThat(code).as(log.toString()).isZero();
            org.steno.proto.transcript.v1.Transcript.Builder whole = org.steno.proto.transcript.v1.Transcript.newBuilder();
            com.google.protobuf.util.JsonFormat.parser().ignoringUnknownFields().merge(java.nio.file.Files.readString(json), whole);
            String steno = whole.getSegmentsList().stream().map(sg -> sg.getText()).collect(java.util.stream.Collectors.joining(" "));
            List<String> ref = tokens(references.get(e.getValue()));
            words += ref.size();
            errorsPipeline += editDistance(ref, tokens(hyp));
            errorsSteno += editDistance(ref, tokens(steno));
        }
        double werPipeline = 100.0 * errorsPipeline / words;
        double werSteno = 100.0 * errorsSteno / words;
        System.out.printf(java.util.Locale.ROOT, "WER over %d words: pipeline %.1f %%, steno transcribe %.1f %%%n",
                words, werPipeline, werSteno);
        assertThat(werPipeline).as("pipeline WER vs steno transcribe %.1f %%", werSteno).isLessThanOrEqualTo(werSteno + 2.0);
    }

    static Map<String, String> references() throws java.io.IOException {
        Map<String, String> out = new java.util.HashMap<>();
        for (String line : java.nio.file.Files.readAllLines(LIBRIVOX.resolve("transcription"))) {
            int open = line.lastIndexOf('(');
            String id = line.substring(open + 1, line.lastIndexOf(')'));
            out.put(id.substring(id.length() - 4), line.substring(0, open).replace("<s>", "").replace("</s>", "").trim());
        }
        return out;
    }

    static List<String> tokens(String text) {
        return java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().split("\\s+"))
                .filter(w -> !w.isEmpty()).toList();
    }

    static int editDistance(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        for (int j = 0; j <= b.size(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.size(); i++) {
            int[] cur = new int[b.size() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.get(i - 1).equals(b.get(j - 1)) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.size()];
    }

    private static boolean has(Collector c, String speaker, String kind) {
        return c.messages.stream().anyMatch(m -> m.contains("\"speakerDisplayName\":\"" + speaker + "\"") && m.contains(kind));
    }
}
