package org.steno.server.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.retention.RetentionSweep;
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

/**
 * Retention and legal hold on the defaults of {@code steno up} (90 days for recordings, a year for
 * transcripts): two meetings whose recording and transcript are past those periods; an auditor
 * holds one (an agent may not; a hold needs a reason); the archive page's listing says what will
 * be deleted when, and that nothing will while held; the retention job deletes the other
 * meeting's files from the bucket (and so from the search) and keeps the held one's; every
 * deletion, every kept item and the hold are audited; released, the held meeting goes too.
 */
class RetentionAndHoldEndToEndTest {

    @TempDir
    Path dataDir;

    private void store(S3Client s3, String bucket, String meeting, Instant recordingStart, Instant transcriptWritten) throws Exception {
        String rp = "meetings/" + meeting + "/recordings/rec-1/";
        s3.putObject(b -> b.bucket(bucket).key(rp + "mixed.ogg"), RequestBody.fromString("audio"));
        s3.putObject(b -> b.bucket(bucket).key(rp + "manifest.json"), RequestBody.fromString(
                "{\"meetingId\":\"" + meeting + "\",\"recordingId\":\"rec-1\",\"startedAt\":\"" + recordingStart
                        + "\",\"durationMs\":1000,\"complete\":true,\"files\":[{\"key\":\"" + rp + "mixed.ogg\",\"kind\":\"mixed\"}]}"));
        String tp = "meetings/" + meeting + "/transcripts/live-0/";
        s3.putObject(b -> b.bucket(bucket).key(tp + "transcript.vtt"), RequestBody.fromString("WEBVTT\n"));
        String json = ArchiveSearchEndToEndTest.transcript(meeting, transcriptWritten.minusSeconds(3600), "s1|5|Le budget de " + meeting + ".");
        s3.putObject(b -> b.bucket(bucket).key(tp + "transcript.json"), RequestBody.fromString(json, StandardCharsets.UTF_8));
    }

    private static List<String> keys(S3Client s3, String bucket, String meeting) {
        return s3.listObjectsV2(r -> r.bucket(bucket).prefix("meetings/" + meeting + "/")).contents().stream().map(o -> o.key()).toList();
    }

    private static long hits(WebSession who, String q) throws Exception {
        return who.json(who.get("/api/search?q=" + java.net.URLEncoder.encode(q, StandardCharsets.UTF_8))).path("totalHits").asLong();
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ok.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within 5 s").isLessThan(deadline);
            Thread.sleep(50); // poll step
        }
    }

    @Test
    void expiredFilesAreDeletedUnlessTheMeetingIsHeldAndEveryStepIsAudited() throws Exception {
        StenoProcess started = TestConfigs.startUp(dataDir, java.util.Map.of());
        try (StenoProcess p = started) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "auditor", PlatformRole.AUDITOR);
            String gone = owner.createMeeting("Expired");
            String held = owner.createMeeting("Held");
            Instant now = Instant.now();
            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                store(s3, target.bucket(), gone, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(400)));
                store(s3, target.bucket(), held, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(400)));
                waitUntil(() -> {
                    try {
                        return hits(auditor, "budget") == 2;
                    } catch (Exception e) {
                        return false;
                    }
                }, "both transcripts searchable");

                assertThat(owner.post("/api/meetings/" + held + "/hold", "{\"reason\":\"mine\"}").statusCode())
                        .as("an agent, even the owner, places no hold").isEqualTo(403);
                assertThat(auditor.post("/api/meetings/" + held + "/hold", "{}").statusCode()).as("a hold needs a reason").isEqualTo(400);
                assertThat(auditor.post("/api/meetings/" + held + "/hold", "not json").statusCode()).isEqualTo(400);
                var placed = auditor.post("/api/meetings/" + held + "/hold", "{\"reason\":\"Inquiry 2026-17\"}");
                assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
                assertThat(auditor.json(placed).path("placedBy").asString()).isEqualTo("local:auditor");

                JsonNode heldList = auditor.json(auditor.get("/api/meetings/" + held + "/archive"));
                assertThat(heldList.path("hold").path("reason").asString()).isEqualTo("Inquiry 2026-17");
                assertThat(heldList.path("recordings").get(0).path("deletesAt").isNull()).isTrue();
                assertThat(heldList.path("transcripts").get(0).path("deletesAt").isNull()).isTrue();
                JsonNode goneList = owner.json(owner.get("/api/meetings/" + gone + "/archive"));
                assertThat(goneList.path("hold").isNull()).isTrue();
                assertThat(Instant.parse(goneList.path("recordings").get(0).path("deletesAt").asString()))
                        .isCloseTo(now.minus(Duration.ofDays(10)), org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));
                assertThat(Instant.parse(goneList.path("transcripts").get(0).path("deletesAt").asString()))
                        .isCloseTo(now.minus(Duration.ofDays(35)), org.assertj.core.api.Assertions.within(Duration.ofMinutes(1)));

                List<RetentionSweep.Outcome> swept = p.archiveRetention().runNow();
                assertThat(swept).extracting(o -> o.meetingId() + " " + o.item() + " " + o.deleted()).containsExactlyInAnyOrder(
                        gone + " recordings/rec-1 true", gone + " transcripts/live-0 true",
                        held + " recordings/rec-1 false", held + " transcripts/live-0 false");
                assertThat(keys(s3, target.bucket(), gone)).isEmpty();
                assertThat(keys(s3, target.bucket(), held)).hasSize(4);
                waitUntil(() -> {
                    try {
                        return hits(auditor, "budget") == 1;
                    } catch (Exception e) {
                        return false;
                    }
                }, "the deleted transcript leaves the search");
                assertThat(hits(auditor, "budget meeting:" + held)).isEqualTo(1);

                List<AuditEntry> audit = p.identity().auditLog().all();
                assertThat(audit).filteredOn(e -> e.action().equals("RETENTION_DELETE"))
                        .extracting(e -> e.subject() + " " + e.resource())
                        .containsExactlyInAnyOrder("system:retention meeting:" + gone, "system:retention meeting:" + gone);
                assertThat(audit).filteredOn(e -> e.action().equals("RETENTION_HOLD_KEPT"))
                        .hasSize(2).allSatisfy(e -> assertThat(e.reason()).contains("under legal hold"));
                assertThat(audit).filteredOn(e -> e.action().equals("LEGAL_HOLD") && e.outcome().name().equals("ALLOWED"))
                        .singleElement().satisfies(e -> {
                            assertThat(e.subject()).isEqualTo("local:auditor");
                            assertThat(e.reason()).contains("Inquiry 2026-17");
                        });
                assertThat(audit).anySatisfy(e -> {
                    assertThat(e.action()).isEqualTo("LEGAL_HOLD");
                    assertThat(e.subject()).isEqualTo("local:owner");
                    assertThat(e.outcome().name()).isEqualTo("DENIED");
                });

                assertThat(auditor.post("/api/meetings/" + held + "/hold/release", "{}").statusCode()).isEqualTo(200);
                assertThat(p.archiveRetention().runNow()).allSatisfy(o -> assertThat(o.deleted()).isTrue()).hasSize(2);
                assertThat(keys(s3, target.bucket(), held)).isEmpty();
            }
        }
    }
}
