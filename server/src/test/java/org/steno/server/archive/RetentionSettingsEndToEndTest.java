package org.steno.server.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
 * Retention set by an administrator, on the defaults of {@code steno up} (configured: 90 days for
 * recordings, 365 for transcripts): the platform's recordings period on the admin page's API, one
 * meeting kept longer and one shorter on their own; no one else may set them, bad bodies get a
 * clear 400 and change nothing; the archive listings say what each meeting follows and when its
 * files go; the sweep deletes by each meeting's periods; every change is audited with the periods.
 */
class RetentionSettingsEndToEndTest {

    @TempDir
    Path dataDir;

    private static void store(S3Client s3, String bucket, String meeting, Instant recordingStart, Instant transcriptWritten) throws Exception {
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

    @Test
    void anAdministratorSetsThePlatformsAndAMeetingsRetentionAndTheSweepFollowsEach() throws Exception {
        StenoProcess started = TestConfigs.startUp(dataDir, java.util.Map.of());
        try (StenoProcess p = started) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "auditor", PlatformRole.AUDITOR);
            // An administrator who also reads the archive: the archive page shows them the meeting's form.
            WebSession admin = WebSession.signIn(p, "boss", PlatformRole.ADMIN, PlatformRole.AUDITOR);
            String platform = owner.createMeeting("Follows the platform");
            String longer = owner.createMeeting("Kept longer");
            String shorter = owner.createMeeting("Kept shorter");
            Instant now = Instant.now();
            S3Target target = p.storageTarget();
            try (S3Client s3 = S3Storage.newClient(target)) {
                for (String m : List.of(platform, longer, shorter)) {
                    store(s3, target.bucket(), m, now.minus(Duration.ofDays(60)), now.minus(Duration.ofDays(10)));
                }

                JsonNode initial = admin.json(admin.get("/api/retention"));
                assertThat(initial.path("platform").path("recordingsDays").asInt()).isEqualTo(90);
                assertThat(initial.path("platform").path("recordingsFrom").asString()).isEqualTo("configuration");
                assertThat(initial.path("configured").path("transcriptsDays").asInt()).isEqualTo(365);

                assertThat(owner.post("/api/retention", "{\"recordingsDays\":1}").statusCode()).as("an agent").isEqualTo(403);
                assertThat(auditor.post("/api/retention", "{\"recordingsDays\":1}").statusCode()).as("an auditor").isEqualTo(403);
                assertThat(owner.post("/api/meetings/" + shorter + "/retention", "{\"recordingsDays\":1}").statusCode())
                        .as("the meeting's owner").isEqualTo(403);
                assertThat(auditor.get("/api/retention").statusCode()).isEqualTo(403);
                for (String bad : List.of("{\"recordingsDays\":0}", "{\"recordingsDays\":36501}", "{\"recordingsDays\":\"30\"}",
                        "{\"transcriptsDays\":1.5}", "{\"recordingsDays\":99999999999}", "{\"keepForever\":true}", "not json", "[30]", "")) {
                    var r = admin.post("/api/retention", bad);
                    assertThat(r.statusCode()).as(bad).isEqualTo(400);
                    assertThat(admin.json(r).path("error").asString()).as(bad).contains("days").doesNotContain("Exception");
                    assertThat(admin.post("/api/meetings/" + shorter + "/retention", bad).statusCode()).as(bad).isEqualTo(400);
                }
                assertThat(admin.post("/api/meetings/..%2Fx/retention", "{}").statusCode()).isIn(400, 404);
                var unknown = admin.post("/api/meetings/zzz-zzzz-zzz/retention", "{\"recordingsDays\":5}");
                assertThat(unknown.statusCode()).as("no periods for a meeting that does not exist").isEqualTo(404);
                assertThat(p.identity().retentionSettings().meeting("zzz-zzzz-zzz")).isEmpty();
                assertThat(admin.json(admin.get("/api/retention")).path("platform").path("recordingsFrom").asString())
                        .as("nothing changed by a refused body").isEqualTo("configuration");

                var set = admin.post("/api/retention", "{\"recordingsDays\":30,\"transcriptsDays\":null}");
                assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
                assertThat(admin.json(set).path("platform").path("recordingsDays").asInt()).isEqualTo(30);
                assertThat(admin.json(set).path("platform").path("recordingsFrom").asString()).isEqualTo("platform");
                assertThat(admin.json(set).path("platform").path("transcriptsFrom").asString()).isEqualTo("configuration");
                var kept = admin.post("/api/meetings/" + longer + "/retention", "{\"recordingsDays\":400}");
                assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
                assertThat(admin.json(kept).path("recordingsFrom").asString()).isEqualTo("meeting");
                assertThat(admin.post("/api/meetings/" + shorter + "/retention", "{\"transcriptsDays\":7}").statusCode()).isEqualTo(200);

                JsonNode seen = owner.json(owner.get("/api/meetings/" + platform + "/archive"));
                assertThat(seen.path("retention").path("recordingsDays").asInt()).isEqualTo(30);
                assertThat(seen.path("retention").path("recordingsFrom").asString()).isEqualTo("platform");
                assertThat(seen.path("retention").path("editable").asBoolean()).as("the owner may not change it").isFalse();
                assertThat(Instant.parse(seen.path("recordings").get(0).path("deletesAt").asString()))
                        .isCloseTo(now.minus(Duration.ofDays(30)), within(Duration.ofMinutes(1)));
                JsonNode longerSeen = admin.json(admin.get("/api/meetings/" + longer + "/archive"));
                assertThat(longerSeen.path("retention").path("editable").asBoolean()).isTrue();
                assertThat(Instant.parse(longerSeen.path("recordings").get(0).path("deletesAt").asString()))
                        .isCloseTo(now.plus(Duration.ofDays(340)), within(Duration.ofMinutes(1)));
                JsonNode shorterSeen = auditor.json(auditor.get("/api/meetings/" + shorter + "/archive"));
                assertThat(shorterSeen.path("retention").path("transcriptsFrom").asString()).isEqualTo("meeting");
                assertThat(shorterSeen.path("retention").path("recordingsFrom").asString()).isEqualTo("platform");
                assertThat(shorterSeen.path("retention").path("editable").asBoolean()).isFalse();

                List<RetentionSweep.Outcome> swept = p.archiveRetention().runNow();
                assertThat(swept).extracting(o -> o.meetingId() + " " + o.item() + " " + o.deleted()).containsExactlyInAnyOrder(
                        platform + " recordings/rec-1 true", shorter + " recordings/rec-1 true", shorter + " transcripts/live-0 true");
                assertThat(keys(s3, target.bucket(), platform)).hasSize(2);
                assertThat(keys(s3, target.bucket(), longer)).hasSize(4);
                assertThat(keys(s3, target.bucket(), shorter)).isEmpty();

                // Back to the platform's: the longer-kept meeting's recording goes at the next sweep.
                assertThat(admin.post("/api/meetings/" + longer + "/retention", "{\"recordingsDays\":null,\"transcriptsDays\":null}")
                        .statusCode()).isEqualTo(200);
                assertThat(p.archiveRetention().runNow()).extracting(o -> o.meetingId() + " " + o.item())
                        .containsExactly(longer + " recordings/rec-1");

                List<AuditEntry> audit = p.identity().auditLog().all();
                assertThat(audit).filteredOn(e -> e.action().equals("SET_RETENTION") && e.outcome().name().equals("ALLOWED"))
                        .extracting(e -> e.subject() + " " + e.resource() + " " + e.reason()).containsExactly(
                                "local:boss archive:retention platform retention set: recordings 30 days, transcripts follow the configuration; POST /api/retention",
                                "local:boss meeting:" + longer + " meeting retention set: recordings 400 days, transcripts follow the platform; POST /api/meetings/" + longer + "/retention",
                                "local:boss meeting:" + shorter + " meeting retention set: recordings follow the platform, transcripts 7 days; POST /api/meetings/" + shorter + "/retention",
                                "local:boss meeting:" + longer + " meeting retention set: recordings follow the platform, transcripts follow the platform; POST /api/meetings/" + longer
                                        + "/retention");
                assertThat(audit).filteredOn(e -> e.action().equals("SET_RETENTION") && e.outcome().name().equals("DENIED"))
                        .extracting(AuditEntry::subject).contains("local:owner", "local:auditor");
            }
        }
    }
}
