package org.steno.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.recorder.finalize.Manifest;

/** Storage going away mid-recording, and a disk filling up. */
class StorageFaultTest {

    static final long T0 = 2_000_000;

    @TempDir
    Path tmp;

    private static List<byte[]> speech(long totalMs) throws Exception {
        short[] s = Speech.load48k("sense_and_sensibility_01_austen_64kb-0920.wav");
        return Speech.encode(Speech.placed(s, 0, totalMs));
    }

    private static void feed(RecordingSession session, List<byte[]> packets, int from, int to) {
        for (int i = from; i < to; i++) {
            long media = T0 + 20_000L * i;
            session.packet("a", 7, i, 960L * i, true, packets.get(i), media);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void s3OutageMidRecordingLosesNothing() throws Exception {
        try (TestS3 s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")))) {
            Recorder recorder = new Recorder(s3.store(), tmp.resolve("data"),
                    RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(1 << 20)
                            .withMaxUploadBackoff(Duration.ofMillis(300)),
                    RecordingTaps.none(), RecorderEvents.NONE);
            recorder.start();
            List<byte[]> packets = speech(8000);
            RecordingSession session = recorder.startDirect("outage", T0);
            session.trackStarted("p", "Patient Speaker", "a", RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000, T0);
            feed(session, packets, 0, 150);
            waitFor(() -> recorder.uploader().uploadedCount() >= 4 && recorder.uploader().pendingTotal() == 0,
                    "the first segments to upload");

            s3.stop();
            feed(session, packets, 150, 350);
            waitFor(() -> !recorder.uploader().healthy() && recorder.uploader().pendingTotal() >= 4,
                    "segments to pile up in the spool");
            assertThat(recorder.health().detail()).contains("storage unreachable");
            long spooled;
            try (var files = Files.walk(tmp.resolve("data/spool"))) {
                spooled = files.filter(p -> p.toString().endsWith(".ogg")).count();
            }
            assertThat(spooled).isGreaterThanOrEqualTo(2);

            s3.restart();
            feed(session, packets, 350, 400);
            Manifest m = recorder.stopAndFinalize("outage").get(60, TimeUnit.SECONDS);
            recorder.close();

            for (Manifest.FileEntry f : m.files()) {
                if (!f.container().equals("ogg")) {
                    continue;
                }
                assertThat(f.gaps()).as(f.key()).isEmpty();
                Path local = tmp.resolve(f.key().replace('/', '_'));
                Files.write(local, s3.store().get(f.key()));
                assertThat((long) Ffmpeg.decode(local).length / 48).as(f.key()).isBetween(7900L, 8100L);
            }
            assertThat(m.files()).hasSize(3);
            try (var files = Files.walk(tmp.resolve("data/spool"))) {
                assertThat(files.filter(Files::isRegularFile).count()).as("spool emptied").isZero();
            }
        }
    }

    @Test
    void aFullDiskStopsTheRecordingLoudlyAndKeepsWhatWasWritten() throws Exception {
        try (TestS3 s3 = new TestS3(Files.createDirectories(tmp.resolve("s3")))) {
            AtomicLong free = new AtomicLong(10L << 30);
            List<String> stops = new CopyOnWriteArrayList<>();
            Recorder recorder = new Recorder(s3.store(), tmp.resolve("data"),
                    RecorderSettings.defaults().withSegmentMillis(1000).withMinFreeBytes(64L << 20),
                    RecordingTaps.none(), new RecorderEvents() {
                        @Override
                        public void recordingStopped(String meetingId, String recordingId, StopReason reason,
                                                     String message) {
                            stops.add(reason + ": " + message);
                        }
                    }, free::get);
            recorder.start();
            assertThat(recorder.health().ready()).isTrue();
            List<byte[]> packets = speech(6000);
            RecordingSession session = recorder.startDirect("full", T0);
            session.trackStarted("p", "Speaker", "a", RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000, T0);
            feed(session, packets, 0, 160);
            waitFor(() -> recorder.uploader().uploadedCount() >= 4, "segments before the disk fills");

            free.set(10L << 20);
            feed(session, packets, 160, 300);
            waitFor(() -> !stops.isEmpty(), "the recording to stop");
            assertThat(stops.get(0)).startsWith("DISK_FULL: The recording stopped: the recorder's disk is full");
            assertThat(recorder.status("full")).hasValueSatisfying(st -> {
                assertThat(st.running()).isFalse();
                assertThat(st.message()).contains("disk is full");
            });
            assertThat(recorder.health().ready()).isFalse();
            assertThat(recorder.health().detail()).contains("disk is full");
            assertThatThrownBy(() -> recorder.start("another")).isInstanceOf(RecordingException.class)
                    .hasMessageContaining("disk is full");

            // What reached the spool before the disk filled is finalized.
            String manifestKey = "meetings/full/recordings/" + session.recordingId() + "/manifest.json";
            waitFor(() -> {
                try {
                    return s3.store().get(manifestKey) != null;
                } catch (Exception e) {
                    return false;
                }
            }, "the manifest of the stopped recording");
            Manifest m = org.steno.recorder.store.Json.read(s3.store().get(manifestKey), Manifest.class);
            assertThat(m.stopReason()).isEqualTo("disk_full");
            Manifest.FileEntry track = m.files().stream().filter(f -> f.trackId().equals("a")).findFirst().orElseThrow();
            assertThat(track.durationMs()).isBetween(2000L, 3300L);
            recorder.close();
        }
    }
}
