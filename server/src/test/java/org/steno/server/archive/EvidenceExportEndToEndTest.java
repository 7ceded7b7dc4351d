package org.steno.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.AuditEntry;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evidence export over HTTP on the defaults of {@code steno up} (the embedded s3proxy and H2):
 * an auditor exports a meeting under legal hold and gets one ZIP whose every file matches its
 * manifest's SHA-256 and the bucket's object, the hold in its export.json, the meeting's audit
 * entries in audit.json, the manifest last; the owner may export it too (without the audit entries), another agent and nobody signed in may not (with a JSON sentence); an
 * unknown meeting is a 404; a meeting whose recording lacks a file is refused before any byte
 * (409, naming the file); a file damaged in the store is found while streaming and the response
 * is cut, so the client gets an error and never a ZIP that looks whole. Every export and refusal
 * is in the audit log.
 */
class EvidenceExportEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dataDir;

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static void store(S3Client s3, String bucket, String meeting, byte[] mixed, boolean withTrack) throws Exception {
        String rp = "meetings/" + meeting + "/recordings/rec-1/";
        s3.putObject(b -> b.bucket(bucket).key(rp + "mixed.ogg"), RequestBody.fromBytes(mixed));
        if (withTrack) {
            s3.putObject(b -> b.bucket(bucket).key(rp + "tracks/p1-a1/track.ogg"), RequestBody.fromString("alice's audio"));
        }
        s3.putObject(b -> b.bucket(bucket).key(rp + "tracks/p1-a1/segment-0.ogg"), RequestBody.fromString("a segment"));
        s3.putObject(b -> b.bucket(bucket).key(rp + "manifest.json"), RequestBody.fromString("""
                {"meetingId":"%s","recordingId":"rec-1","startedAt":"2026-12-01T09:00:05Z","durationMs":60000,"complete":true,
                 "files":[{"key":"%smixed.ogg","kind":"mixed","bytes":%d},
                          {"key":"%stracks/p1-a1/track.ogg","kind":"audio","displayName":"Alice","bytes":13}]}
                """.formatted(meeting, rp, mixed.length, rp)));
        String tp = "meetings/" + meeting + "/transcripts/live-0/";
        s3.putObject(b -> b.bucket(bucket).key(tp + "transcript.json"), RequestBody.fromString(ArchiveSearchEndToEndTest.transcript(
                meeting, Instant.parse("2026-12-01T09:00:00Z"), "s1|12|Le budget est adopté."), StandardCharsets.UTF_8));
        s3.putObject(b -> b.bucket(bucket).key(tp + "transcript.vtt"),
                RequestBody.fromString("WEBVTT\n\n00:00:12.000 --> 00:00:16.000\n<v Alice Martin>Le budget est adopté.\n"));
        s3.putObject(b -> b.bucket(bucket).key(tp + "transcript.txt"), RequestBody.fromString("[00:00:12] Alice Martin: Le budget est adopté.\n"));
        s3.putObject(b -> b.bucket(bucket).key("meetings/" + meeting + "/chat.json"),
                RequestBody.fromString("{\"meetingId\":\"" + meeting + "\",\"messages\":[],\"dropped\":0}"));
    }

    private static HttpResponse<byte[]> get(StenoProcess p, WebSession who, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + path)).timeout(Duration.ofSeconds(30));
        if (who != null) {
            b.header("Cookie", who.cookieHeader());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }

    private static String error(HttpResponse<byte[]> r) {
        return JSON.readTree(r.body()).path("error").asString();
    }

    @Test
    void anAuditorExportsAHeldMeetingWhoseEveryFileMatchesItsManifestAndTheBucket() throws Exception {
        StenoProcess started = TestConfigs.startUp(dataDir, java.util.Map.of());
        try (StenoProcess p = started) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession other = WebSession.signIn(p, "other", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "auditor", PlatformRole.AUDITOR);
            String meeting = owner.createMeeting("Conseil municipal");
            String broken = owner.createMeeting("Missing track");
            String damaged = owner.createMeeting("Damaged transcript");
            byte[] mixed = new byte[600_000];
            new Random(7).nextBytes(mixed);
            S3Target target = p.storageTarget();
            String bucket = target.bucket();
            try (S3Client s3 = S3Storage.newClient(target)) {
                store(s3, bucket, meeting, mixed, true);
                store(s3, bucket, broken, mixed, false);
                store(s3, bucket, damaged, mixed, true);
                assertThat(auditor.post("/api/meetings/" + meeting + "/hold", "{\"reason\":\"Inquiry 2026-17\"}").statusCode()).isEqualTo(200);

                // The auditor's export, which the archive listing links to.
                String path = "/api/meetings/" + meeting + "/evidence.zip";
                assertThat(auditor.json(auditor.get("/api/meetings/" + meeting + "/archive")).path("evidence").asString()).isEqualTo(path);
                HttpResponse<byte[]> r = get(p, auditor, path);
                assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                assertThat(r.headers().firstValue("content-type")).hasValue("application/zip");
                assertThat(r.headers().firstValue("content-disposition")).hasValue("attachment; filename=\"" + meeting + "-evidence.zip\"");
                Path file = Files.write(dataDir.resolve("export.zip"), r.body());
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                    assertThat(z.size()).as("the central directory is complete").isEqualTo(13);
                }
                Map<String, byte[]> zip = unzip(r.body());
                String folder = meeting + "-evidence/";
                List<String> names = new ArrayList<>(zip.keySet());
                assertThat(names.get(names.size() - 1)).as("the manifest comes last").isEqualTo(folder + "manifest.json");
                assertThat(names).as("every finished file, not the segment").containsExactly(folder + "chat.json",
                        folder + "recordings/rec-1/manifest.json", folder + "recordings/rec-1/mixed.ogg",
                        folder + "recordings/rec-1/tracks/p1-a1/track.ogg", folder + "transcripts/live-0/transcript.json",
                        folder + "transcripts/live-0/transcript.txt", folder + "transcripts/live-0/transcript.vtt",
                        folder + "transcripts/live-0/transcript.srt", folder + "transcripts/live-0/transcript.rttm",
                        folder + "audit.json", folder + "export.json", folder + "SHA256SUMS", folder + "manifest.json");
                JsonNode manifest = JSON.readTree(zip.get(folder + "manifest.json"));
                assertThat(manifest.path("files").size()).isEqualTo(11);
                // The formats the bucket lacks are made from transcript.json, said so, and are what a download gives.
                assertThat(new String(zip.get(folder + "transcripts/live-0/transcript.srt"), StandardCharsets.UTF_8))
                        .startsWith("1\n00:00:12,000 --> ").contains("Le budget est adopté.");
                assertThat(new String(zip.get(folder + "transcripts/live-0/transcript.rttm"), StandardCharsets.UTF_8))
                        .startsWith("SPEAKER live-0 1 12.000 ");
                for (String generated : List.of("transcript.srt", "transcript.rttm")) {
                    JsonNode entry = null;
                    for (JsonNode f : manifest.path("files")) {
                        if (f.path("name").asString().equals("transcripts/live-0/" + generated)) {
                            entry = f;
                        }
                    }
                    assertThat(entry).as(generated + " in the manifest").isNotNull();
                    assertThat(entry.path("key").isNull()).isTrue();
                    assertThat(entry.path("generatedFrom").asString()).isEqualTo("transcripts/live-0/transcript.json");
                    HttpResponse<byte[]> dl = get(p, auditor, "/api/meetings/" + meeting + "/archive/transcripts/live-0/" + generated);
                    assertThat(dl.statusCode()).isEqualTo(200);
                    assertThat(dl.body()).as("the download of " + generated).isEqualTo(zip.get(folder + "transcripts/live-0/" + generated));
                    HttpResponse<byte[]> head = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort()
                                    + "/api/meetings/" + meeting + "/archive/transcripts/live-0/" + generated))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()).header("Cookie", auditor.cookieHeader()).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    assertThat(head.statusCode()).isEqualTo(200);
                    assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(dl.body().length));
                }
                for (JsonNode f : manifest.path("files")) {
                    String name = f.path("name").asString();
                    byte[] inZip = zip.get(folder + name);
                    assertThat(sha256(inZip)).as(name + " against the manifest").isEqualTo(f.path("sha256").asString());
                    if (!f.path("key").isNull()) {
                        byte[] inBucket = s3.getObjectAsBytes(b -> b.bucket(bucket).key(f.path("key").asString())).asByteArray();
                        assertThat(sha256(inBucket)).as(name + " against the bucket").isEqualTo(f.path("sha256").asString());
                    }
                }
                assertThat(zip.get(folder + "recordings/rec-1/mixed.ogg")).isEqualTo(mixed);
                assertThat(new String(zip.get(folder + "SHA256SUMS"), StandardCharsets.UTF_8))
                        .contains(sha256(mixed) + "  recordings/rec-1/mixed.ogg\n");
                JsonNode about = JSON.readTree(zip.get(folder + "export.json"));
                assertThat(about.path("legalHold").path("held").asBoolean()).as("the hold is stated").isTrue();
                assertThat(about.path("legalHold").path("reason").asString()).isEqualTo("Inquiry 2026-17");
                assertThat(about.path("legalHold").path("placedBy").asString()).isEqualTo("local:auditor");
                assertThat(about.path("meeting").path("title").asString()).isEqualTo("Conseil municipal");
                assertThat(about.path("meeting").path("owner").asString()).isEqualTo("local:owner");
                assertThat(about.path("exportedBy").asString()).isEqualTo("local:auditor");
                assertThat(manifest.path("export").path("legalHold").path("held").asBoolean()).isTrue();
                String manifestSha = sha256(zip.get(folder + "manifest.json"));
                // An auditor's export holds the meeting's audit entries: the hold, and this export's request.
                JsonNode trail = JSON.readTree(zip.get(folder + "audit.json"));
                assertThat(trail.path("entries")).anySatisfy(e -> {
                    assertThat(e.path("action").asString()).isEqualTo("LEGAL_HOLD");
                    assertThat(e.path("reason").asString()).contains("Inquiry 2026-17");
                    assertThat(e.path("hash").asString()).hasSize(64);
                });
                assertThat(trail.path("entries")).anySatisfy(e -> {
                    assertThat(e.path("action").asString()).isEqualTo("EXPORT_EVIDENCE");
                    assertThat(e.path("subject").asString()).isEqualTo("local:auditor");
                });
                assertThat(trail.path("entries")).allSatisfy(e -> assertThat(e.path("resource").asString()).isEqualTo("meeting:" + meeting));
                assertThat(about.path("auditEntries").asInt()).isEqualTo(trail.path("entries").size());

                // The owner may; another agent and nobody signed in may not, and are told why.
                HttpResponse<byte[]> mine = get(p, owner, path);
                assertThat(mine.statusCode()).isEqualTo(200);
                assertThat(unzip(mine.body())).containsKey(folder + "manifest.json");
                JsonNode ownersAbout = JSON.readTree(unzip(mine.body()).get(folder + "export.json"));
                assertThat(ownersAbout.path("exportedBy").asString()).isEqualTo("local:owner");
                assertThat(unzip(mine.body())).as("the owner may not read the audit log").doesNotContainKey(folder + "audit.json");
                assertThat(ownersAbout.path("auditEntries").asString()).contains("auditor");
                HttpResponse<byte[]> refused = get(p, other, path);
                assertThat(refused.statusCode()).isEqualTo(403);
                assertThat(error(refused)).isEqualTo("only the meeting's owner or an auditor may export its evidence");
                HttpResponse<byte[]> anonymous = get(p, null, path);
                assertThat(anonymous.statusCode()).isEqualTo(401);
                assertThat(error(anonymous)).contains("sign in");
                HttpResponse<byte[]> unknown = get(p, auditor, "/api/meetings/zzz-zzzz-zzz/evidence.zip");
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(error(unknown)).isEqualTo("no meeting zzz-zzzz-zzz");
                assertThat(get(p, auditor, "/api/meetings/..%2F..%2Fetc/evidence.zip").statusCode()).isIn(400, 404);

                // A recording that lacks a file its manifest names: refused before any byte.
                HttpResponse<byte[]> incomplete = get(p, auditor, "/api/meetings/" + broken + "/evidence.zip");
                assertThat(incomplete.statusCode()).isEqualTo(409);
                assertThat(incomplete.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
                assertThat(error(incomplete)).contains("would be incomplete")
                        .contains("recordings/rec-1/tracks/p1-a1/track.ogg is named by recordings/rec-1/manifest.json but is not in the bucket");

                // A stored copy damaged in place (same length, other bytes): found while streaming, the response is cut.
                Path onDisk = dataDir.resolve("s3").resolve(bucket).resolve("meetings/" + damaged + "/transcripts/live-0/transcript.vtt");
                assertThat(onDisk).exists();
                byte[] vtt = Files.readAllBytes(onDisk);
                vtt[vtt.length - 3] ^= 0x20;
                Files.write(onDisk, vtt);
                String cut;
                try {
                    HttpResponse<byte[]> partial = get(p, auditor, "/api/meetings/" + damaged + "/evidence.zip");
                    cut = "HTTP " + partial.statusCode() + ", " + partial.body().length + " bytes";
                    assertThat(partial.statusCode()).as("a damaged export never arrives as a whole one").isNotEqualTo(200);
                } catch (IOException e) {
                    cut = "the connection was cut: " + e;
                }
                assertThat(cut).startsWith("the connection was cut");

                List<AuditEntry> audit = p.identity().auditLog().all();
                List<AuditEntry> exports = audit.stream().filter(e -> e.action().equals("EXPORT_EVIDENCE")).toList();
                assertThat(exports).filteredOn(e -> e.reason().startsWith("evidence export complete"))
                        .extracting(AuditEntry::subject).containsExactly("local:auditor", "local:owner");
                assertThat(exports).filteredOn(e -> e.subject().equals("local:auditor") && e.reason().startsWith("evidence export complete"))
                        .singleElement().satisfies(e -> assertThat(e.reason()).contains("manifest.json sha256 " + manifestSha));
                assertThat(exports).anySatisfy(e -> {
                    assertThat(e.subject()).isEqualTo("local:other");
                    assertThat(e.outcome().name()).isEqualTo("DENIED");
                });
                assertThat(exports).filteredOn(e -> e.resource().equals("meeting:" + broken))
                        .anySatisfy(e -> assertThat(e.reason()).contains("refused, the archive is incomplete"));
                assertThat(exports).filteredOn(e -> e.resource().equals("meeting:" + damaged))
                        .anySatisfy(e -> assertThat(e.reason()).contains("aborted").contains("transcript.vtt"));
            }
        }
    }
}
