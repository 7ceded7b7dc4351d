package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Decision;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * After the meeting, over HTTP against a real S3 (the embedded s3proxy): the archive lists a
 * meeting's finished transcripts and recordings, serves their files with ranges, and nothing
 * else of the bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchiveApiTest {

    static final String M = "abc-defg-hij";

    @TempDir
    static Path dataDir;

    private StenoProcess steno;
    private S3Client s3;
    private S3Target target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final byte[] mixed = new byte[100_000];

    @BeforeAll
    void start() throws Exception {
        steno = new StenoProcess(Role.SERVER, TestConfigs.ephemeral(dataDir), Access.allowAll());
        steno.start();
        target = steno.storageTarget();
        s3 = S3Storage.newClient(target);
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (byte) (i * 31 + 7);
        }
        String tp = "meetings/" + M + "/transcripts/live-0/";
        Transcript t = Transcript.newBuilder().setTranscriptId("live-0").setMeetingId(M).setLanguageCode("en-US")
                .setStatus(TranscriptStatus.TRANSCRIPT_STATUS_PARTIAL)
                .addSpeakers(Speaker.newBuilder().setSpeakerId("spk-a").setDisplayName("Alice"))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("spk-b-v1").setDisplayName("Boardroom (1)")).build();
        put(tp + "transcript.json", JsonFormat.printer().print(t));
        put(tp + "transcript.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Alice>hello\n");
        put(tp + "transcript.srt", "1\n00:00:01,000 --> 00:00:02,000\nAlice: hello\n");
        put(tp + "transcript.txt", "[00:00:01] Alice: hello\n");
        put(tp + "parts/t1/0.json", "{}");
        // A run the pipeline has not finished: parts only, not listed.
        put("meetings/" + M + "/transcripts/live-9/parts/t1/0.json", "{}");
        // A transcript.json someone damaged: listed, with what is wrong.
        put("meetings/" + M + "/transcripts/live-5/transcript.json", "{not json");

        String rp = "meetings/" + M + "/recordings/rec-1/";
        put(rp + "manifest.json", """
                {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-11-26T10:00:00Z","durationMs":5000,"complete":true,
                 "files":[{"key":"%smixed.ogg","kind":"mixed","displayName":"","codec":"opus","durationMs":5000,"bytes":100000},
                          {"key":"%stracks/p1-a1/track.ogg","kind":"audio","displayName":"Alice","codec":"opus","durationMs":4000},
                          {"key":"meetings/other-meeting/recordings/x/mixed.ogg","kind":"mixed"}]}
                """.formatted(M, rp, rp));
        s3.putObject(b -> b.bucket(target.bucket()).key(rp + "mixed.ogg"), RequestBody.fromBytes(mixed));
        put(rp + "tracks/p1-a1/track.ogg", "alice's audio");
        put(rp + "tracks/p1-a1/segment-0.ogg", "a segment");
        put(rp + "recording.json", "{}");
        put("meetings/" + M + "/chat.json", "{\"meetingId\":\"" + M + "\",\"messages\":[],\"dropped\":0}");
        put("meetings/" + M + "/chat-2.json", "{\"meetingId\":\"" + M + "\",\"messages\":[],\"dropped\":1}");
        put("meetings/" + M + "/chat-0.json", "{}");
    }

    @AfterAll
    void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (steno != null) {
            steno.close();
        }
    }

    private void put(String key, String body) {
        s3.putObject(b -> b.bucket(target.bucket()).key(key), RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void listsFinishedTranscriptsAndRecordingsWithTheirFiles() throws Exception {
        HttpResponse<byte[]> r = get("/api/meetings/" + M + "/archive");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode a = json.readTree(r.body());
        assertThat(a.path("transcripts").size()).as("live-0 and the damaged live-5; not the unfinished live-9").isEqualTo(2);
        JsonNode t = a.path("transcripts").get(0);
        assertThat(t.path("transcriptId").asString()).isEqualTo("live-0");
        assertThat(t.path("status").asString()).isEqualTo("TRANSCRIPT_STATUS_PARTIAL");
        assertThat(t.path("speakers").toString()).isEqualTo("[\"Alice\",\"Boardroom (1)\"]");
        assertThat(t.path("files").path("vtt").asString())
                .isEqualTo("/api/meetings/" + M + "/archive/transcripts/live-0/transcript.vtt");
        assertThat(a.path("transcripts").get(1).path("error").asString()).contains("not a readable Transcript");

        JsonNode rec = a.path("recordings").get(0);
        assertThat(rec.path("recordingId").asString()).isEqualTo("rec-1");
        assertThat(rec.path("durationMs").asLong()).isEqualTo(5000);
        assertThat(rec.path("files").findValuesAsString("url")).as("not another meeting's key, even if a manifest names it")
                .containsExactly("/api/meetings/" + M + "/archive/recordings/rec-1/mixed.ogg",
                        "/api/meetings/" + M + "/archive/recordings/rec-1/tracks/p1-a1/track.ogg");
        assertThat(rec.path("files").get(1).path("displayName").asString()).isEqualTo("Alice");

        JsonNode empty = json.readTree(get("/api/meetings/zzz-zzzz-zzz/archive").body());
        assertThat(empty.path("transcripts").size() + empty.path("recordings").size()).isZero();
    }

    @Test
    void listsAndServesTheChatOfEachSession() throws Exception {
        JsonNode a = json.readTree(get("/api/meetings/" + M + "/archive").body());
        assertThat(a.path("chats").findValuesAsString("url")).as("chat.json and chat-2.json; not chat-0.json")
                .containsExactly("/api/meetings/" + M + "/archive/chat-2.json", "/api/meetings/" + M + "/archive/chat.json");
        HttpResponse<byte[]> r = get("/api/meetings/" + M + "/archive/chat-2.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(text(r)).contains("\"dropped\":1");
        for (String bad : new String[] {"chat-0.json", "chat.json.part", "chatx.json", "transcripts/chat.json"}) {
            assertThat(get("/api/meetings/" + M + "/archive/" + bad).statusCode()).as(bad).isIn(400, 404);
        }
    }

    @Test
    void servesTranscriptFilesAsDownloads() throws Exception {
        HttpResponse<byte[]> r = get("/api/meetings/" + M + "/archive/transcripts/live-0/transcript.vtt");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/vtt"));
        assertThat(r.headers().firstValue("content-disposition"))
                .hasValue("attachment; filename=\"" + M + "-live-0-transcript.vtt\"");
        assertThat(text(r)).contains("<v Alice>hello");
    }

    @Test
    void servesRecordingsWholeAndByRangeForSeeking() throws Exception {
        String url = "/api/meetings/" + M + "/archive/recordings/rec-1/mixed.ogg";
        HttpResponse<byte[]> whole = get(url);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(mixed);
        assertThat(whole.headers().firstValue("accept-ranges")).hasValue("bytes");
        assertThat(whole.headers().firstValue("content-type")).hasValue("audio/ogg");
        assertThat(whole.headers().firstValue("content-disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("inline"));

        HttpResponse<byte[]> part = get(url, "Range", "bytes=1000-1999");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("content-range")).hasValue("bytes 1000-1999/100000");
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(mixed, 1000, 2000));

        HttpResponse<byte[]> tail = get(url, "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(mixed, mixed.length - 10, mixed.length));

        HttpResponse<byte[]> open = get(url, "Range", "bytes=99990-");
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(mixed, 99_990, 100_000));

        // Ranges we do not serve are ignored (RFC 9110): the whole file.
        HttpResponse<byte[]> several = get(url, "Range", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(mixed);
        assertThat(get(url, "Range", "bytes=500-100").statusCode()).as("backwards: ignored").isEqualTo(200);
        assertThat(get(url, "Range", "bytes=200000-").statusCode()).as("past the end").isEqualTo(416);
    }

    @Test
    void aTranscriptLargerThanTheCompressionThresholdArrivesWholeToAGzipClient() throws Exception {
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < 400; i++) {
            vtt.append("\n00:00:").append(String.format("%02d", i % 60)).append(".000 --> 00:00:59.000\n<v Alice>line ")
                    .append(i).append('\n');
        }
        put("meetings/" + M + "/transcripts/live-big/transcript.vtt", vtt.toString());
        // What a browser sends; Java's client does not decompress, so the bytes are what went on the wire.
        HttpResponse<byte[]> r = get("/api/meetings/" + M + "/archive/transcripts/live-big/transcript.vtt",
                "Accept-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-encoding")).isEmpty();
        assertThat(text(r)).isEqualTo(vtt.toString());
    }

    @Test
    void headAnswersForTheFileWithoutItsBody() throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort() + "/api/meetings/" + M + "/archive/";
        HttpResponse<String> there = http.send(HttpRequest.newBuilder(URI.create(base + "recordings/rec-1/mixed.ogg"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(there.statusCode()).isEqualTo(200);
        assertThat(there.headers().firstValue("content-length")).hasValue("100000");
        assertThat(there.headers().firstValue("accept-ranges")).hasValue("bytes");
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base + "transcripts/live-9/transcript.vtt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void nothingButFinishedFilesOfThatMeetingCanBeFetched() throws Exception {
        String base = "/api/meetings/" + M + "/archive/";
        for (String path : new String[] {"recordings/rec-1/tracks/p1-a1/segment-0.ogg", "recordings/rec-1/recording.json",
                "transcripts/live-0/parts/t1/0.json", "transcripts/live-0/../../../other/transcripts/x/transcript.vtt",
                "transcripts/..%2F..%2Fother/transcript.vtt", "recordings/rec-1/mixed.ogg.part", "meeting.json"}) {
            HttpResponse<byte[]> r = get(base + path);
            assertThat(r.statusCode()).as(path).isIn(400, 404);
            assertThat(text(r)).as(path).doesNotContain("a segment").doesNotContain("{}");
        }
        HttpResponse<byte[]> notThere = get(base + "transcripts/live-9/transcript.vtt");
        assertThat(notThere.statusCode()).isEqualTo(404);
        assertThat(text(notThere)).contains("no such file");
        assertThat(get("/api/meetings/..%2F..%2Fetc/archive").statusCode()).isIn(400, 404);
    }

    @Test
    void aPolicyThatRefusesDownloadsClosesTheListAndTheFilesButNotThePage(@TempDir Path other) throws Exception {
        Access noDownload = (caller, action, resource) -> action == Action.DOWNLOAD
                ? Decision.deny("downloads are closed") : Decision.allow("test");
        try (StenoProcess p = new StenoProcess(Role.SERVER, TestConfigs.ephemeral(other), noDownload)) {
            p.start();
            String base = "http://127.0.0.1:" + p.httpPort();
            for (String path : new String[] {"/api/meetings/" + M + "/archive",
                    "/api/meetings/" + M + "/archive/transcripts/live-0/transcript.vtt"}) {
                assertThat(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path + ": refused, nobody signed in").isEqualTo(401);
            }
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/m/" + M + "/archive")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"archive\"");
        }
    }
}
