package org.steno.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.store.Json;

/**
 * kill -9 of a recording process mid-meeting, then a restart on the same data directory: the
 * recording is finalized from its completed segments and the manifest says where media was lost.
 */
class CrashRecoveryTest {

    @TempDir
    Path tmp;

    @Test
    void aKilledRecorderIsFinalizedOnRestartUpToItsLastSegment() throws Exception {
        try (TestS3 s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")))) {
            Path data = tmp.resolve("data");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RecordingChild.class.getName(),
                    Integer.toString(s3.port()), data.toString(), TestS3.ID, TestS3.SECRET)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String recordingId;
            int committed;
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
                String line;
                do {
                    line = out.readLine();
                } while (line != null && !line.startsWith("RECORDING "));
                assertThat(line).as("the child's first line").isNotNull();
                recordingId = line.substring("RECORDING ".length());
                String trackDir = "meetings/crashing/recordings/" + recordingId + "/tracks/p-a/";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                do {
                    Thread.sleep(50);
                    committed = (int) s3.store().list(trackDir).stream().filter(k -> k.endsWith(".json")).count();
                } while (committed < 3 && System.nanoTime() < deadline);
                assertThat(committed).as("segments committed before the kill").isGreaterThanOrEqualTo(3);
                Thread.sleep(400); // mid-segment
            } finally {
                child.destroyForcibly();
                child.waitFor(10, TimeUnit.SECONDS);
            }

            Recorder restarted = new Recorder(s3.store(), data,
                    RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(1 << 20)
                            .withRecoveryGrace(Duration.ZERO),
                    RecordingTaps.none(), RecorderEvents.NONE);
            restarted.start();
            String manifestKey = "meetings/crashing/recordings/" + recordingId + "/manifest.json";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String prefix = "meetings/crashing/recordings/" + recordingId + "/";
            byte[] json;
            // Done means the manifest is there and the segments are gone: a finalize cut between the
            // two (this client's single attempt failing on a request that had landed) is completed
            // by the next recovery pass.
            while (((json = s3.store().get(manifestKey)) == null
                    || s3.store().list(prefix).stream().anyMatch(k -> k.contains("segment-")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (restarted.uploader().pendingTotal() == 0) {
                    try {
                        restarted.recover();
                    } catch (java.io.IOException e) {
                        // This test's S3 client makes one attempt per call (to keep the outage tests
                        // fast), so a reused connection the store had closed fails once; the recorder
                        // itself retries recovery (recoverSafely), and so does this loop.
                    }
                }
            }
            assertThat(json).as("manifest written by recovery").isNotNull();
            restarted.close();
            Manifest m = Json.read(json, Manifest.class);

            assertThat(m.complete()).isFalse();
            assertThat(m.gaps()).singleElement().satisfies(g -> {
                assertThat(g.reason()).contains("recorder crashed");
                assertThat(g.toMs()).isEqualTo(-1);
                assertThat(g.fromMs()).isEqualTo(m.durationMs());
            });
            assertThat(m.participants()).extracting(ParticipantRecord::displayName).containsExactly("Crash Test");
            Manifest.FileEntry track = m.files().stream().filter(f -> f.trackId().equals("a")).findFirst().orElseThrow();
            // Every segment completed before the kill is there: at least the 3 seen, each a full second.
            assertThat(track.durationMs()).isGreaterThanOrEqualTo(committed * 1000L - 20);
            assertThat(track.durationMs() % 1000).isBetween(0L, 20L);
            Path local = tmp.resolve("track.ogg");
            Files.write(local, s3.store().get(track.key()));
            assertThat((long) Ffmpeg.decode(local).length / 48).isBetween(track.durationMs() - 100,
                    track.durationMs() + 100);
            List<String> left = s3.store().list(prefix);
            assertThat(left).noneMatch(k -> k.contains("segment-"));
            assertThat(m.files()).anyMatch(f -> f.key().endsWith("mixed.ogg"));
        }
    }

    @Test
    void segmentsLeftByAFinalizeCutAfterItsManifestAreDeletedByTheNextRecovery() throws Exception {
        try (TestS3 s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")))) {
            String prefix = "meetings/cut/recordings/rec-1/";
            var store = s3.store();
            s3.seed(prefix + "recording.json", "{}".getBytes());
            s3.seed(prefix + "tracks/p-a/track.ogg", new byte[] {1});
            s3.seed(prefix + "manifest.json", "{}".getBytes());
            for (String k : List.of("tracks/p-a/segment-0.ogg", "tracks/p-a/segment-0.json", "mixed/segment-0.ogg")) {
                s3.seed(prefix + k, new byte[] {2});
            }
            Recorder recorder = new Recorder(store, tmp.resolve("data"),
                    RecorderSettings.defaults().withMinFreeBytes(1 << 20).withRecoveryGrace(Duration.ZERO),
                    RecordingTaps.none(), RecorderEvents.NONE);
            try {
                assertThat(recorder.recover()).as("nothing to finalize again").isEmpty();
            } finally {
                recorder.close();
            }
            assertThat(store.list(prefix)).containsExactlyInAnyOrder(prefix + "recording.json",
                    prefix + "tracks/p-a/track.ogg", prefix + "manifest.json");
        }
    }
}
