package org.steno.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.grpc.Server;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.steno.pipeline.source.MediaTapSettings;
import org.steno.pipeline.testing.FixedDelayFakeTranscriber;
import org.steno.pipeline.testing.RecordingViewer;
import org.steno.pipeline.testing.ReplayMediaTap;
import org.steno.pipeline.testing.TestServers;
import org.steno.pipeline.testing.WavAudio;
import org.steno.pipeline.transcript.TranscriptKeys;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.transcript.v1.CoverageGap;
import org.steno.proto.transcript.v1.Transcript;
import org.steno.proto.transcript.v1.TranscriptStatus;
import org.steno.subtitles.fanout.CaptionFanout;
import org.steno.subtitles.ingest.CaptionIngestService;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Bad input does not stop the job for anyone else: while a healthy meeting runs, another one
 * has a track of malformed frames (odd byte counts, a wrong rate, empty frames, full-scale
 * noise), a track that never sends a frame, a speaker the model server fails on every time,
 * and then its MediaTap stream breaks off and the meeting is gone. The healthy meeting gets
 * all its captions and a COMPLETE transcript; the broken one still gets a transcript with
 * what was said, PARTIAL, naming the audio the model never took; the job never restarts.
 */
class HostileInputTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path s3Dir;

    @Test
    void aBrokenMeetingNeitherStopsTheJobNorLosesWhatCouldBeTranscribed() throws Exception {
        FixedDelayFakeTranscriber model = new FixedDelayFakeTranscriber(10);
        model.crashesOn.add("Mallory");
        ReplayMediaTap tap = new ReplayMediaTap(2.0);
        CaptionFanout fanout = new CaptionFanout(1000, 10_000);
        Server services = TestServers.grpc(0, tap, model, new CaptionIngestService(fanout));
        try (TestServers.S3 s3 = TestServers.s3(s3Dir)) {
            RecordingViewer healthyViewer = new RecordingViewer();
            fanout.subscribe("healthy", healthyViewer);
            JobClient job = startJob(services, s3);

            byte[] speech = WavAudio.withPauses(800, WavAudio.librivox("0870"), WavAudio.librivox("0890"));
            tap.meeting("healthy", new ReplayMediaTap.Speaker("alice", "p-alice", "Alice Martin", speech),
                    new ReplayMediaTap.Speaker("bob", "p-bob", "Bob Durand",
                            WavAudio.withPauses(1200, WavAudio.librivox("0880"), WavAudio.librivox("0920"))));
            tap.meeting("broken", new ReplayMediaTap.Speaker("carol", "p-carol", "Carol Petit", WavAudio.librivox("0930")),
                    new ReplayMediaTap.Speaker("mallory", "p-mallory", "Mallory", WavAudio.librivox("0880")),
                    new ReplayMediaTap.Speaker("static", "p-static", "Static", WavAudio.librivox("0870")),
                    new ReplayMediaTap.Speaker("silent", "p-silent", "Silent", new byte[0]));
            tap.garbles("broken", "static");
            tap.breaksOffAt("broken", 2500);

            Transcript broken = transcript(s3, "broken");
            Transcript healthy = transcript(s3, "healthy");
            assertThat(job.getJobStatus().get(5, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);

            // The healthy meeting: everything, under the right names, COMPLETE.
            assertThat(healthy.getStatus()).isEqualTo(TranscriptStatus.TRANSCRIPT_STATUS_COMPLETE);
            assertThat(healthy.getSpeakersList()).extracting(s -> s.getDisplayName())
                    .containsExactlyInAnyOrder("Alice Martin", "Bob Durand");
            List<String> aliceFinals = healthyViewer.events().stream().filter(e -> e.getKind() == CaptionKind.CAPTION_KIND_FINAL
                    && e.getSpeakerDisplayName().equals("Alice Martin")).map(CaptionEvent::getText).toList();
            assertThat(aliceFinals).containsExactlyElementsOf(healthy.getSegmentsList().stream()
                    .filter(s -> s.getSpeakerId().equals("spk-alice")).map(s -> s.getText()).toList());

            // The broken meeting: what could be heard is there; what the model never took is named.
            assertThat(broken.getSegmentsList()).extracting(s -> s.getSpeakerId()).contains("spk-carol");
            assertThat(broken.getSegmentsList()).extracting(s -> s.getSpeakerId()).doesNotContain("spk-mallory", "spk-silent");
            assertThat(broken.getStatus()).isEqualTo(TranscriptStatus.TRANSCRIPT_STATUS_PARTIAL);
            assertThat(broken.getGapsList()).filteredOn(g -> g.getTrackId().equals("mallory")).singleElement()
                    .extracting(CoverageGap::getReason).asString().contains("the Transcriber failed").contains("INTERNAL");
            job.cancel().get(10, TimeUnit.SECONDS);
        } finally {
            TestServers.stop(services);
            tap.shutdown();
            model.shutdown();
        }
    }

    @Test
    void captionsTurnedOffAndOnWhileTheReaderWasAwayEndTheRunAndStartANewOne() throws Exception {
        FixedDelayFakeTranscriber model = new FixedDelayFakeTranscriber(10);
        ReplayMediaTap tap = new ReplayMediaTap(2.0);
        CaptionFanout fanout = new CaptionFanout(1000, 10_000);
        Server services = TestServers.grpc(0, tap, model, new CaptionIngestService(fanout));
        try (TestServers.S3 s3 = TestServers.s3(s3Dir)) {
            JobClient job = startJob(services, s3);
            byte[] speech = WavAudio.withPauses(1500, WavAudio.librivox("0870"), WavAudio.librivox("0890"));
            long toggleAt = WavAudio.librivox("0870").length / 32 + 700; // in the pause between the two readings
            tap.meeting("toggled", new ReplayMediaTap.Speaker("alice", "p-alice", "Alice Martin", speech));
            tap.togglesCaptionsAt("toggled", toggleAt);

            Transcript first = transcript(s3, "toggled", "live-0");
            Transcript second = transcript(s3, "toggled", "live-" + toggleAt);
            assertThat(first.getSegmentsList()).as("the first run: what was said before the toggle").isNotEmpty()
                    .allSatisfy(s -> assertThat(com.google.protobuf.util.Durations.toMillis(s.getMediaEnd()))
                            .isLessThanOrEqualTo(toggleAt));
            assertThat(second.getSegmentsList()).as("the new run: what was said after it").isNotEmpty()
                    .allSatisfy(s -> assertThat(com.google.protobuf.util.Durations.toMillis(s.getMediaStart()))
                            .isGreaterThanOrEqualTo(toggleAt));
            assertThat(job.getJobStatus().get(5, TimeUnit.SECONDS)).isEqualTo(JobStatus.RUNNING);
            job.cancel().get(10, TimeUnit.SECONDS);
        } finally {
            TestServers.stop(services);
            tap.shutdown();
            model.shutdown();
        }
    }

    /** The job at parallelism 2, every model and tap service on {@code services}, checkpoints every 500 ms. */
    private JobClient startJob(Server services, TestServers.S3 s3) throws Exception {
        String target = "127.0.0.1:" + services.getPort();
        PipelineOptions o = PipelineOptions.of(target, target, target, s3.settings()).withParallelism(2)
                .withCheckpointInterval(500).withCheckpointDir(s3Dir.resolve("checkpoints").toUri().toString())
                .withMediaTap(new MediaTapSettings(target, 200, 64, 1000));
        return new SpeechPipelineJob(o).start(StreamExecutionEnvironment.getExecutionEnvironment(SpeechPipelineJob.flinkConfig(o)));
    }

    private static Transcript transcript(TestServers.S3 s3, String meeting) throws Exception {
        return transcript(s3, meeting, "live-0");
    }

    private static Transcript transcript(TestServers.S3 s3, String meeting, String transcriptId) throws Exception {
        String key = TranscriptKeys.file(meeting, transcriptId, "json");
        long deadline = System.currentTimeMillis() + 60_000;
        try (S3Client c = s3.settings().newClient()) {
            while (System.currentTimeMillis() < deadline) {
                if (c.listObjectsV2(b -> b.bucket("steno").prefix(key)).keyCount() > 0) {
                    Transcript.Builder t = Transcript.newBuilder();
                    JsonFormat.parser().ignoringUnknownFields().merge(c.getObjectAsBytes(b -> b.bucket("steno").key(key))
                            .asUtf8String(), t);
                    return t.build();
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no " + key + " within 60 s");
    }
}
