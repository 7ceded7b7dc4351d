package org.steno.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.AuditEntry;
import org.steno.identity.PlatformRole;
import org.steno.proto.transcript.v1.Segment;
import org.steno.proto.transcript.v1.Speaker;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;

/**
 * Search end to end on the defaults of {@code steno up} (free ports, nothing else changed): a
 * transcript stored in the real bucket the way the pipeline stores it becomes searchable within
 * 5 s; the auditor finds it, the owner and an agent who was in the meeting too, an agent who was
 * not there finds nothing (and no count gives it away); bad queries get a 400 sentence; a
 * replaced transcript is found once, in its new text; every search and download is in the audit
 * log; {@code steno archive reindex} rebuilds the same results after the index is deleted.
 */
public class ArchiveSearchEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    /** The defaults, with free ports so tests can run side by side. */
    private Map<String, String> env() {
        Map<String, String> env = new java.util.HashMap<>(TestConfigs.ephemeralEnv(dataDir));
        env.remove("STENO_HTTP_HOST");
        return env;
    }

    private StenoProcess start() throws Exception {
        PrintStream before = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        try {
            StenoProcess p = new StenoProcess(Role.UP, ConfigLoader.load(null, env()), new StenoPolicy());
            p.start();
            return p;
        } finally {
            System.setOut(before);
        }
    }

    /** What the pipeline's TranscriptWriter writes, last of a transcript's files: protobuf JSON. */
    public static String transcript(String meetingId, Instant start, String... lines) throws Exception {
        Transcript.Builder t = Transcript.newBuilder().setSchemaVersion(1).setTranscriptId("live-0").setMeetingId(meetingId)
                .setTitle("Conseil municipal").setLanguageCode("fr-FR").setStatus(TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE)
                .setMeetingStartTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond()))
                .setCreateTime(Timestamp.newBuilder().setSeconds(start.getEpochSecond() + 3600))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s1").setDisplayName("Alice Martin").setIdentity("local:owner"))
                .addSpeakers(Speaker.newBuilder().setSpeakerId("s2").setDisplayName("Dana").setIdentity("local:dana"));
        for (String line : lines) {
            String[] p = line.split("\\|", 3);
            long s = Long.parseLong(p[1]);
            t.addSegments(Segment.newBuilder().setSegmentId("t-" + s).setSpeakerId(p[0]).setTrackId("t")
                    .setMediaStart(Duration.newBuilder().setSeconds(s)).setMediaEnd(Duration.newBuilder().setSeconds(s + 4))
                    .setText(p[2]));
        }
        return JsonFormat.printer().print(t.build());
    }

    private static JsonNode search(WebSession who, String query) throws Exception {
        HttpResponse<String> r = who.get("/api/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return who.json(r);
    }

    /** Polls the search (no sleep beyond the poll step) until it has hits or the deadline passes. */
    private static long millisUntilFound(WebSession who, String query, String mustContain, long deadlineMs) throws Exception {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < deadlineMs) {
            JsonNode r = search(who, query);
            if (r.path("totalHits").asLong() > 0 && r.toString().contains(mustContain)) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(50); // poll step
        }
        return -1;
    }

    /** Enters the meeting's room through its signaling socket (as a page does), then leaves. */
    private static void enterAndLeave(StenoProcess p, WebSession who, String meetingId) throws Exception {
        String token = who.json(who.post("/api/meetings/" + meetingId + "/join", "{\"displayName\":\"Dana\"}")).path("token").asString();
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = HTTP.newWebSocketBuilder().header("Cookie", who.cookieHeader()).buildAsync(
                URI.create("ws://127.0.0.1:" + p.httpPort() + "/ws/meetings/" + meetingId), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        got.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"join\",\"token\":\"" + token + "\"}", true).get(5, TimeUnit.SECONDS);
        String first = got.poll(10, TimeUnit.SECONDS);
        assertThat(first).contains("\"joined\"");
        ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    void aStoredTranscriptIsSearchableWithinFiveSecondsByWhoeverMayOpenItOnly() throws Exception {
        String meeting;
        List<String> before;
        try (StenoProcess p = start()) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession dana = WebSession.signIn(p, "dana", PlatformRole.AGENT);
            WebSession eve = WebSession.signIn(p, "eve", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "auditor", PlatformRole.AUDITOR);
            WebSession admin = WebSession.signIn(p, "boss", PlatformRole.ADMIN);
            meeting = owner.createMeeting("Conseil municipal");
            assertThat(dana.get("/api/meetings/" + meeting + "/archive").statusCode()).as("not there yet").isEqualTo(403);
            enterAndLeave(p, dana, meeting);

            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                String prefix = "meetings/" + meeting + "/transcripts/live-0/";
                s3.putObject(b -> b.bucket(target.bucket()).key(prefix + "transcript.vtt"),
                        RequestBody.fromString("WEBVTT\n\n00:00:12.000 --> 00:00:16.000\n<v Alice Martin>La réunion du conseil municipal commence.\n"));
                s3.putObject(b -> b.bucket(target.bucket()).key(prefix + "transcript.json"), RequestBody.fromString(transcript(meeting,
                        Instant.parse("2026-12-01T09:00:00Z"),
                        "s1|12|La réunion du conseil municipal commence.",
                        "s2|30|Je propose de voter le budget de l'école.",
                        "s1|47|Le budget est adopté à l'unanimité."), StandardCharsets.UTF_8));

                long ms = millisUntilFound(auditor, "reunion", meeting, 5000);
                System.out.println("search: stored transcript searchable after " + ms + " ms");
                assertThat(ms).as("searchable within 5 s of being stored").isBetween(0L, 5000L);

                JsonNode hit = search(auditor, "reunion").path("meetings").get(0);
                assertThat(hit.path("meetingId").asString()).isEqualTo(meeting);
                assertThat(hit.path("title").asString()).isEqualTo("Conseil municipal");
                JsonNode h = hit.path("hits").get(0);
                assertThat(h.path("speaker").asString()).isEqualTo("Alice Martin");
                assertThat(h.path("startMs").asLong()).isEqualTo(12_000);
                assertThat(h.path("url").asString()).isEqualTo("/m/" + meeting + "/archive#t=12");
                String text = h.path("text").asString();
                JsonNode range = h.path("highlights").get(0);
                assertThat(text.substring(range.get(0).asInt(), range.get(1).asInt())).isEqualTo("réunion");

                JsonNode budget = search(auditor, "budget speaker:alice");
                assertThat(budget.path("totalHits").asLong()).isEqualTo(1);
                assertThat(search(auditor, "\"budget de l'ecole\"").path("totalHits").asLong()).isEqualTo(1);
                assertThat(search(auditor, "\"ecole budget\"").path("totalHits").asLong()).isZero();
                assertThat(search(auditor, "budget from:2026-12-01 to:2026-12-01").path("totalHits").asLong()).isEqualTo(2);
                assertThat(search(auditor, "budget to:2026-11").path("totalHits").asLong()).isZero();
                assertThat(search(auditor, "budget").path("facets").path("speaker").toString())
                        .contains("Alice Martin").contains("Dana");

                assertThat(search(admin, "budget").path("totalMeetings").asLong()).isEqualTo(1);
                assertThat(search(owner, "budget").path("totalMeetings").asLong()).as("the owner").isEqualTo(1);
                assertThat(search(dana, "budget").path("totalMeetings").asLong()).as("an agent who was there").isEqualTo(1);
                assertThat(dana.get("/api/meetings/" + meeting + "/archive").statusCode()).as("and may open it").isEqualTo(200);
                JsonNode stranger = search(eve, "budget meeting:" + meeting);
                assertThat(stranger.path("totalMeetings").asLong()).as("an agent who was not there").isZero();
                assertThat(stranger.path("totalHits").asLong()).isZero();
                assertThat(stranger.path("facets").path("speaker").size()).isZero();
                HttpResponse<String> anon = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort()
                        + "/api/search?q=budget")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(anon.statusCode()).isEqualTo(401);

                // Bad input: a sentence, never a stack trace.
                for (String bad : List.of("q=" + URLEncoder.encode("budget \"conseil", StandardCharsets.UTF_8),
                        "q=" + "a".repeat(2000), "q=budget&size=500", "q=budget&page=0", "q=budget&page=two",
                        "q=budget&sort=loudest", "q=budget&from=yesterday", "q=" + URLEncoder.encode("text_fr:x", StandardCharsets.UTF_8),
                        "q=" + URLEncoder.encode("*:*", StandardCharsets.UTF_8), "q=")) {
                    HttpResponse<String> r = auditor.get("/api/search?" + bad);
                    assertThat(r.statusCode()).as(bad).isEqualTo(400);
                    assertThat(auditor.json(r).path("error").asString()).as(bad).isNotBlank().doesNotContain("Exception");
                }
                HttpResponse<String> huge = auditor.get("/api/search?q=" + "a".repeat(10_000));
                assertThat(huge.statusCode()).as("a 10 KB query").isEqualTo(400);
                assertThat(huge.body()).contains("error").doesNotContain("Exception");

                // A replaced transcript is found once, in its new text.
                s3.putObject(b -> b.bucket(target.bucket()).key(prefix + "transcript.json"), RequestBody.fromString(transcript(meeting,
                        Instant.parse("2026-12-01T09:00:00Z"),
                        "s1|12|La réunion du conseil municipal commence.",
                        "s2|30|Je propose de voter les dépenses de l'école."), StandardCharsets.UTF_8));
                assertThat(millisUntilFound(auditor, "depenses", meeting, 5000)).as("the new text within 5 s").isBetween(0L, 5000L);
                assertThat(search(auditor, "depenses").path("totalHits").asLong()).isEqualTo(1);
                assertThat(search(auditor, "budget").path("totalHits").asLong()).isZero();

                // A download is audited with the file.
                assertThat(dana.get("/api/meetings/" + meeting + "/archive/transcripts/live-0/transcript.vtt").statusCode()).isEqualTo(200);
            }
            before = new ArrayList<>();
            for (JsonNode m : search(auditor, "conseil").path("meetings")) {
                before.add(m.toString());
            }

            List<AuditEntry> audit = p.identity().auditLog().all();
            List<AuditEntry> searches = audit.stream().filter(e -> e.action().equals("SEARCH_ARCHIVE")).toList();
            assertThat(searches).anySatisfy(e -> {
                assertThat(e.subject()).isEqualTo("local:auditor");
                assertThat(e.reason()).contains("searched every meeting").contains("q=\"budget speaker:alice\"")
                        .contains("1 meeting(s), 1 hit(s)");
            });
            assertThat(searches).anySatisfy(e -> {
                assertThat(e.subject()).isEqualTo("local:eve");
                assertThat(e.reason()).contains("searched 0 meeting(s)").contains("0 meeting(s), 0 hit(s)");
            });
            assertThat(searches).anySatisfy(e -> assertThat(e.reason()).contains("refused: the query has an unbalanced quote"));
            assertThat(searches).anySatisfy(e -> {
                assertThat(e.subject()).isEqualTo("anonymous");
                assertThat(e.outcome().name()).isEqualTo("DENIED");
            });
            assertThat(audit).anySatisfy(e -> {
                assertThat(e.subject()).isEqualTo("local:dana");
                assertThat(e.action()).isEqualTo("DOWNLOAD");
                assertThat(e.reason()).contains("transcripts/live-0/transcript.vtt");
            });
        }

        // The index is derived data: deleted, then rebuilt from the bucket by the command.
        deleteTree(dataDir.resolve("index"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = org.steno.server.tools.ArchiveTool.run(new String[] {"reindex"}, env(), new PrintStream(out), new PrintStream(err));
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 transcript(s) indexed");
        try (StenoProcess p = start()) {
            WebSession auditor = WebSession.signIn(p, "auditor");
            List<String> after = new ArrayList<>();
            for (JsonNode m : search(auditor, "conseil").path("meetings")) {
                after.add(m.toString());
            }
            assertThat(after).isEqualTo(before).hasSize(1);
            assertThat(p.identity().auditLog().all()).anySatisfy(e -> assertThat(e.action()).isEqualTo("ARCHIVE.REINDEX"));
        }
    }

    @Test
    void anAuditorHoldsEveryMeetingASearchFindsAtOnceAndNobodyElseMay() throws Exception {
        try (StenoProcess p = start()) {
            WebSession owner = WebSession.signIn(p, "hold-owner", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "hold-auditor", PlatformRole.AUDITOR);
            String first = owner.createMeeting("Travaux de voirie");
            String second = owner.createMeeting("Subventions culturelles");
            String other = owner.createMeeting("Sans rapport");
            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                for (String[] m : List.of(new String[] {first, "Les travaux de la subvention commencent."},
                        new String[] {second, "La subvention est votée."}, new String[] {other, "Rien à signaler aujourd'hui."})) {
                    s3.putObject(b -> b.bucket(target.bucket()).key("meetings/" + m[0] + "/transcripts/live-0/transcript.json"),
                            RequestBody.fromString(transcript(m[0], Instant.parse("2026-11-20T09:00:00Z"), "s1|3|" + m[1]),
                                    StandardCharsets.UTF_8));
                }
                millisUntilFound(auditor, "signaler", other, 10_000);
                millisUntilFound(auditor, "subvention", second, 10_000);
            }
            String body = "{\"q\":\"subvention\",\"reason\":\"Dossier contentieux 2026-118\"}";
            assertThat(owner.post("/api/search/hold", body).statusCode()).as("an agent may not hold").isEqualTo(403);
            assertThat(auditor.post("/api/search/hold", "{\"q\":\"subvention\"}").statusCode()).as("no reason").isEqualTo(400);
            HttpResponse<String> bad = auditor.post("/api/search/hold", "{\"q\":\"\\\"subvention\",\"reason\":\"x\"}");
            assertThat(bad.statusCode()).as("an unbalanced quote: " + bad.body()).isEqualTo(400);
            assertThat(auditor.json(bad).path("error").asString()).doesNotContain("Exception");
            assertThat(auditor.post("/api/search/hold", "not json").statusCode()).isEqualTo(400);
            assertThat(p.identity().legalHolds().held(first)).as("nothing held by refused requests").isFalse();

            HttpResponse<String> held = auditor.post("/api/search/hold", body);
            assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
            assertThat(auditor.json(held).path("count").asInt()).isEqualTo(2);
            List<String> ids = new ArrayList<>();
            auditor.json(held).path("held").forEach(n -> ids.add(n.asString()));
            assertThat(ids).containsExactlyInAnyOrder(first, second);
            assertThat(p.identity().legalHolds().held(first)).isTrue();
            assertThat(p.identity().legalHolds().held(second)).isTrue();
            assertThat(p.identity().legalHolds().held(other)).as("not found by the search").isFalse();
            assertThat(p.identity().legalHolds().find(second).orElseThrow().reason()).isEqualTo("Dossier contentieux 2026-118");
            // The archive listing shows the hold; the audit log has each held meeting and the request.
            assertThat(auditor.json(auditor.get("/api/meetings/" + first + "/archive")).path("hold").path("reason").asString())
                    .isEqualTo("Dossier contentieux 2026-118");
            List<AuditEntry> holds = p.identity().auditLog().all().stream()
                    .filter(e -> e.action().equals("LEGAL_HOLD") && e.subject().equals("local:hold-auditor")).toList();
            assertThat(holds).filteredOn(e -> e.resource().contains(first) || e.resource().contains(second)).hasSize(2);
            assertThat(holds).anySatisfy(e -> assertThat(e.reason()).contains("2 meeting(s) a search found"));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
