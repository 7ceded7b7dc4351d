package org.steno.pipeline;

import java.io.Serializable;
import org.steno.access.ServiceToken;
import org.steno.pipeline.sink.S3Settings;
import org.steno.pipeline.source.MediaTapSettings;
import org.steno.pipeline.speech.DiarizerSettings;
import org.steno.pipeline.speech.RecognizerSettings;
import org.steno.pipeline.speech.SegmentationSettings;

/** Everything the job needs from outside: where its services are, and how it runs. */
public record PipelineOptions(MediaTapSettings mediaTap, RecognizerSettings recognizer, DiarizerSettings diarizer,
                              String captionsTarget, S3Settings s3, SegmentationSettings segmentation, int parallelism,
                              long checkpointIntervalMs, String checkpointDir,
                              ServiceToken serviceToken) implements Serializable {

    /** Defaults for everything but the endpoints; the Diarizer is served where the Transcriber is. */
    public static PipelineOptions of(String mediaTap, String transcriber, String captions, S3Settings s3) {
        return new PipelineOptions(MediaTapSettings.defaults(mediaTap), RecognizerSettings.defaults(transcriber),
                DiarizerSettings.defaults(transcriber), captions, s3, SegmentationSettings.defaults(), 1, 2000,
                java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "steno-pipeline-checkpoints").toUri().toString(), null);
    }

    /** The credential the job presents to MediaTap, the model servers and CaptionIngest (null: none asked). */
    public PipelineOptions withServiceToken(ServiceToken token) {
        return new PipelineOptions(mediaTap, recognizer, diarizer, captionsTarget, s3, segmentation, parallelism, checkpointIntervalMs,
                checkpointDir, token);
    }

    public PipelineOptions withParallelism(int p) {
        return new PipelineOptions(mediaTap, recognizer, diarizer, captionsTarget, s3, segmentation, p, checkpointIntervalMs, checkpointDir, serviceToken);
    }

    public PipelineOptions withCheckpointInterval(long ms) {
        return new PipelineOptions(mediaTap, recognizer, diarizer, captionsTarget, s3, segmentation, parallelism, ms, checkpointDir, serviceToken);
    }

    /** Where checkpoints go: a {@code file://} URI, or {@code s3://…} on a cluster with Flink's S3 plugin. */
    public PipelineOptions withCheckpointDir(String uri) {
        return new PipelineOptions(mediaTap, recognizer, diarizer, captionsTarget, s3, segmentation, parallelism, checkpointIntervalMs, uri, serviceToken);
    }

    public PipelineOptions withMediaTap(MediaTapSettings m) {
        return new PipelineOptions(m, recognizer, diarizer, captionsTarget, s3, segmentation, parallelism, checkpointIntervalMs, checkpointDir, serviceToken);
    }

    public PipelineOptions withRecognizer(RecognizerSettings r) {
        return new PipelineOptions(mediaTap, r, diarizer, captionsTarget, s3, segmentation, parallelism, checkpointIntervalMs, checkpointDir, serviceToken);
    }

    public PipelineOptions withDiarizer(DiarizerSettings d) {
        return new PipelineOptions(mediaTap, recognizer, d, captionsTarget, s3, segmentation, parallelism, checkpointIntervalMs, checkpointDir, serviceToken);
    }
}
