package org.steno.archive.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.archive.Transcripts;
import org.steno.archive.index.ArchiveIndex;
import org.steno.archive.retention.RetentionPolicy;
import org.steno.archive.retention.RetentionSweep;

/** Retention on a real s3proxy: what expired goes (every object of it, and from the index), what is held or recent stays. */
class RetentionSweepTest {

    @TempDir
    Path s3Dir;
    @TempDir
    Path indexDir;
    TestBucket bucket;

    static final Instant NOW = Instant.parse("2027-06-01T00:00:00Z");
    static final RetentionPolicy POLICY = new RetentionPolicy(Duration.ofDays(90), Duration.ofDays(365));

    @BeforeEach
    void start() throws Exception {
        bucket = new TestBucket(s3Dir);
    }

    @AfterEach
    void stop() throws Exception {
        bucket.close();
    }

    private void recording(String meeting, String id, Instant started) {
        String p = "meetings/" + meeting + "/recordings/" + id + "/";
        bucket.put(p + "mixed.ogg", "audio");
        bucket.put(p + "tracks/p1-a1/track.ogg", "audio");
        bucket.put(p + "tracks/p1-a1/segment-0.ogg", "audio");
        bucket.put(p + "manifest.json", "{\"recordingId\":\"" + id + "\",\"startedAt\":\"" + started + "\",\"durationMs\":1000}");
    }

    private void transcript(String meeting, Instant written) throws Exception {
        String p = "meetings/" + meeting + "/transcripts/live-0/";
        bucket.put(p + "transcript.vtt", "WEBVTT\n");
        bucket.put(p + "parts/t/0.json", "{}");
        bucket.put(p + "transcript.json", JsonFormat.printer().print(Transcripts.of(meeting, "", "fr-FR", written, "A|1|budget")
                .toBuilder().setCreateTime(Timestamp.newBuilder().setSeconds(written.getEpochSecond())).build()));
    }

    private List<String> keys(String prefix) {
        return bucket.client.listObjectsV2(r -> r.bucket("steno").prefix(prefix)).contents().stream().map(o -> o.key()).toList();
    }

    @Test
    void expiredItemsAreDeletedHeldAndRecentOnesKeptAndEachIsReported() throws Exception {
        recording("old", "r1", NOW.minus(Duration.ofDays(91)));
        recording("old", "r2", NOW.minus(Duration.ofDays(10)));
        transcript("old", NOW.minus(Duration.ofDays(100)));
        recording("held", "r1", NOW.minus(Duration.ofDays(400)));
        transcript("held", NOW.minus(Duration.ofDays(400)));
        transcript("ancient", NOW.minus(Duration.ofDays(366)));
        // In progress: segments without a manifest, parts without transcript.json.
        bucket.put("meetings/live/recordings/r9/mixed/segment-0.ogg", "audio");
        bucket.put("meetings/live/transcripts/live-0/parts/t/0.json", "{}");
        bucket.put("meetings/bad/recordings/r1/manifest.json", "{ not json");

        try (ArchiveIndex index = ArchiveIndex.open(indexDir)) {
            IndexSync sync = new IndexSync(bucket.transcripts(), index);
            assertThat(sync.sync().indexed()).isEqualTo(3);

            List<RetentionSweep.Outcome> told = new ArrayList<>();
            RetentionSweep sweep = new RetentionSweep(() -> bucket.client, () -> "steno", POLICY, Set.of("held")::contains,
                    Clock.fixed(NOW, ZoneOffset.UTC));
            List<RetentionSweep.Outcome> done = sweep.run(told::add);
            assertThat(told).isEqualTo(done);
            assertThat(done).extracting(o -> o.meetingId() + " " + o.item() + " " + (o.deleted() ? "deleted " + o.objects() : "held"))
                    .containsExactlyInAnyOrder("old recordings/r1 deleted 4", "held recordings/r1 held", "held transcripts/live-0 held",
                            "ancient transcripts/live-0 deleted 3");
            assertThat(done).filteredOn(o -> o.item().equals("recordings/r1") && o.meetingId().equals("old"))
                    .singleElement().satisfies(o -> assertThat(o.expiredAt()).isEqualTo(NOW.minus(Duration.ofDays(1))));

            assertThat(keys("meetings/old/recordings/r1/")).isEmpty();
            assertThat(keys("meetings/old/recordings/r2/")).hasSize(4);
            assertThat(keys("meetings/old/transcripts/")).hasSize(3);
            assertThat(keys("meetings/held/")).hasSize(7);
            assertThat(keys("meetings/ancient/")).isEmpty();
            assertThat(keys("meetings/live/")).hasSize(2);
            assertThat(keys("meetings/bad/")).hasSize(1);

            // The index follows: the deleted transcript is no longer found.
            assertThat(sync.sync().removed()).isEqualTo(1);
            assertThat(index.versions()).containsOnlyKeys("meetings/old/transcripts/live-0/transcript.json",
                    "meetings/held/transcripts/live-0/transcript.json");

            assertThat(sweep.run(o -> { })).as("a second pass finds only the held items again")
                    .allSatisfy(o -> assertThat(o.deleted()).isFalse()).hasSize(2);
        }
    }

    @Test
    void eachMeetingIsSweptByItsOwnPolicyAskedOncePerPass() throws Exception {
        recording("short", "r1", NOW.minus(Duration.ofDays(8)));
        transcript("short", NOW.minus(Duration.ofDays(8)));
        recording("long", "r1", NOW.minus(Duration.ofDays(400)));
        transcript("long", NOW.minus(Duration.ofDays(400)));
        recording("platform", "r1", NOW.minus(Duration.ofDays(91)));
        RetentionPolicy week = new RetentionPolicy(Duration.ofDays(7), Duration.ofDays(30));
        RetentionPolicy decade = new RetentionPolicy(Duration.ofDays(3650), Duration.ofDays(3650));
        java.util.Map<String, Integer> asked = new java.util.concurrent.ConcurrentHashMap<>();
        RetentionSweep sweep = new RetentionSweep(() -> bucket.client, () -> "steno", m -> {
            asked.merge(m, 1, Integer::sum);
            return switch (m) {
                case "short" -> week;
                case "long" -> decade;
                default -> POLICY;
            };
        }, m -> false, Clock.fixed(NOW, ZoneOffset.UTC));
        List<RetentionSweep.Outcome> done = sweep.run(o -> { });
        assertThat(done).extracting(o -> o.meetingId() + " " + o.item() + " " + o.expiredAt())
                .containsExactlyInAnyOrder("short recordings/r1 " + NOW.minus(Duration.ofDays(1)),
                        "platform recordings/r1 " + NOW.minus(Duration.ofDays(1)));
        assertThat(keys("meetings/short/transcripts/")).as("30 days for its transcripts: 8 days old stays").hasSize(3);
        assertThat(keys("meetings/long/")).as("ten years for this meeting").hasSize(7);
        assertThat(asked).containsOnlyKeys("short", "long", "platform").allSatisfy((m, n) -> assertThat(n).isEqualTo(1));
    }
}
