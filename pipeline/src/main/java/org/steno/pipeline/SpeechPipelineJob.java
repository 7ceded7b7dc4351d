package org.steno.pipeline;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.steno.pipeline.sink.CaptionControlSink;
import org.steno.pipeline.sink.CaptionPublishSink;
import org.steno.pipeline.sink.S3Settings;
import org.steno.pipeline.source.MediaTapSource;
import org.steno.pipeline.speech.DiarizeFunction;
import org.steno.pipeline.speech.Recognition;
import org.steno.pipeline.speech.RecognizeFunction;
import org.steno.pipeline.speech.SpeechSegmenter;
import org.steno.pipeline.speech.TrackEvent;
import org.steno.pipeline.speech.VoiceTurns;
import org.steno.pipeline.transcript.TranscriptAssembler;
import org.steno.pipeline.transcript.TranscriptItem;
import org.steno.pipeline.transcript.TranscriptWriter;

/**
 * The speech pipeline, top to bottom: MediaTap source (a split per meeting with captions on)
 * → key by (meeting, track), the only network hop on the audio path → speech segmentation →
 * one streaming recognition session per track (and, for shared microphones, one streaming
 * diarization session) → transcript assembly → captions to
 * CaptionIngest, and (keyed by meeting) transcript parts and final files to S3.
 *
 * <p>The same {@link #main} runs embedded (a MiniCluster in the steno JVM) and as a job jar
 * on a Flink cluster: {@code flink run -c org.steno.pipeline.SpeechPipelineJob job.jar --mediatap …}.
 */
public final class SpeechPipelineJob {

    public static final String JOB_NAME = "steno-speech-pipeline";

    private final PipelineOptions options;
    private MapFunction<TrackEvent, TrackEvent> afterSource;
    private Sink<String> writtenKeys = new DiscardingSink<>();

    public SpeechPipelineJob(PipelineOptions options) {
        this.options = options;
    }

    /** A step right after the source (tests inject failures here). */
    public SpeechPipelineJob afterSource(MapFunction<TrackEvent, TrackEvent> f) {
        this.afterSource = f;
        return this;
    }

    /** Where the S3 keys the transcript writer wrote go (discarded unless set). */
    public SpeechPipelineJob writtenKeysTo(Sink<String> sink) {
        this.writtenKeys = sink;
        return this;
    }

    /** The Flink settings this job needs; see ../shared/notes/flink.md for the measurements behind them. */
    public static Configuration flinkConfig(PipelineOptions o) {
        Configuration c = new Configuration();
        Map<String, String> m = new HashMap<>();
        // A quiet meeting would otherwise wait up to 100 ms per network hop for a buffer to fill.
        m.put("execution.buffer-timeout.interval", "1 ms");
        m.put("execution.checkpointing.interval", o.checkpointIntervalMs() + " ms");
        m.put("execution.checkpointing.mode", "EXACTLY_ONCE");
        m.put("state.backend.type", "hashmap");
        // Unconfirmed audio of many tracks is megabytes: more than the JobManager's in-memory
        // checkpoint storage accepts (5 MB), so checkpoints go to files.
        m.put("execution.checkpointing.storage", "filesystem");
        m.put("execution.checkpointing.dir", o.checkpointDir());
        // A checkpoint that fails (a slow disk) must not restart a live job.
        m.put("execution.checkpointing.tolerable-failed-checkpoints", "10");
        m.put("restart-strategy.type", "exponential-delay");
        m.put("restart-strategy.exponential-delay.initial-backoff", "100 ms");
        m.put("restart-strategy.exponential-delay.max-backoff", "10 s");
        // Records, POJOs and byte[] only: a type that falls back to Kryo is a bug, caught at submit.
        m.put("pipeline.generic-types", "false");
        // Chained operators hand records over without a serializer copy (at 500 tracks the copies
        // of TrackEvent's audio and of Recognition cost ~4 % of the job's CPU). Safe here: every
        // type is an immutable record, byte[] or String, no function changes an array it was
        // given or has emitted, and Flink builds records anew when it deserialises them.
        m.put("pipeline.object-reuse", "true");
        m.put("parallelism.default", Integer.toString(o.parallelism()));
        m.forEach(c::setString);
        return c;
    }

    /** Builds the graph on {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<TrackEvent> audio = env
                .fromSource(new MediaTapSource(options.mediaTap(), options.serviceToken()), WatermarkStrategy.noWatermarks(), "MediaTap source")
                .uid("mediatap-source");
        if (afterSource != null) {
            audio = audio.map(afterSource).returns(TrackEvent.class).name("after source").uid("after-source");
        }
        // Captions turned on or off for a meeting: viewers of its captions are told (CaptionIngest.Control).
        audio.filter(TrackEvent::isCaptionControl).name("captions on/off").uid("captions-on-off")
                .sinkTo(new CaptionControlSink(options.captionsTarget(), options.serviceToken())).name("captions on/off → CaptionIngest")
                .uid("caption-control-sink");
        DataStream<TrackEvent> speech = audio.filter(TrackEvent::onAudioPath).name("audio").uid("audio")
                .keyBy(TrackEvent::key)
                .process(new SpeechSegmenter(options.segmentation())).name("speech segmentation").uid("segmentation");
        // Segmentation and recognition keep the key: reinterpreting avoids a second network hop.
        DataStream<Recognition> recognized = DataStreamUtils.reinterpretAsKeyedStream(speech, TrackEvent::key)
                .process(new RecognizeFunction(options.recognizer(), options.serviceToken())).name("recognize").uid("recognize");
        // Shared microphones only: who spoke when, from the same speech the recogniser hears.
        DataStream<VoiceTurns> turns = DataStreamUtils.reinterpretAsKeyedStream(
                        speech.filter(TrackEvent::sharedMicrophone).name("shared microphones").uid("shared-microphones"),
                        TrackEvent::key)
                .process(new DiarizeFunction(options.diarizer(), options.serviceToken())).name("diarize").uid("diarize");
        SingleOutputStreamOperator<byte[]> captions = DataStreamUtils.reinterpretAsKeyedStream(recognized, Recognition::key)
                .connect(DataStreamUtils.reinterpretAsKeyedStream(turns, VoiceTurns::key))
                .process(new TranscriptAssembler(options.diarizer().attributionWaitMs()))
                .name("transcript assembly").uid("assembly");
        captions.sinkTo(new CaptionPublishSink(options.captionsTarget(), options.serviceToken())).name("captions → CaptionIngest").uid("captions-sink");
        captions.getSideOutput(TranscriptAssembler.TRANSCRIPT)
                .keyBy(TranscriptItem::meetingId)
                .process(new TranscriptWriter(options.s3())).name("transcripts → S3").uid("transcript-writer")
                .sinkTo(writtenKeys).name("written keys").uid("written-keys");
    }

    /** Submits the job to {@code env} without waiting for it (it runs until cancelled). */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(JOB_NAME);
    }

    public static void main(String[] args) throws Exception {
        PipelineOptions o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("steno pipeline job: " + e.getMessage());
            usage(System.err);
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(o));
        new SpeechPipelineJob(o).build(env);
        env.execute(JOB_NAME);
    }

    static void usage(PrintStream out) {
        out.println("arguments: --mediatap HOST:PORT --transcriber HOST:PORT --captions HOST:PORT"
                + " --s3-endpoint URL --bucket NAME --s3-access-key KEY --s3-secret-key SECRET"
                + " [--s3-region us-east-1] [--diarizer HOST:PORT (default: the transcriber's)] [--parallelism N] [--checkpoint-interval-ms 2000] [--checkpoint-dir URI]"
                + " [--service-token-file FILE (the Steno service token; or STENO_SERVICE_TOKEN)]");
    }

    /** Parses the job's arguments; throws IllegalArgumentException with one clear sentence. */
    public static PipelineOptions parse(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            a.put(args[i].substring(2), args[++i]);
        }
        String region = a.getOrDefault("s3-region", "us-east-1");
        S3Settings s3 = new S3Settings(required(a, "s3-endpoint"), region,
                a.getOrDefault("s3-access-key", System.getenv().getOrDefault("AWS_ACCESS_KEY_ID", "")),
                a.getOrDefault("s3-secret-key", System.getenv().getOrDefault("AWS_SECRET_ACCESS_KEY", "")),
                required(a, "bucket"));
        if (s3.accessKey().isEmpty() || s3.secretKey().isEmpty()) {
            throw new IllegalArgumentException("S3 credentials missing: pass --s3-access-key and --s3-secret-key"
                    + " (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        }
        PipelineOptions o = PipelineOptions.of(hostPort(a, "mediatap"), hostPort(a, "transcriber"), hostPort(a, "captions"), s3);
        if (a.containsKey("diarizer")) {
            o = o.withDiarizer(org.steno.pipeline.speech.DiarizerSettings.defaults(hostPort(a, "diarizer")));
        }
        if (a.containsKey("parallelism")) {
            o = o.withParallelism(positive(a, "parallelism"));
        }
        if (a.containsKey("checkpoint-dir")) {
            o = o.withCheckpointDir(a.get("checkpoint-dir"));
        }
        if (a.containsKey("checkpoint-interval-ms")) {
            o = o.withCheckpointInterval(positive(a, "checkpoint-interval-ms"));
        }
        // From a file or the environment, never an argument: arguments show in ps and Flink's web UI.
        String token = System.getenv().getOrDefault("STENO_SERVICE_TOKEN", "");
        if (a.containsKey("service-token-file")) {
            try {
                token = java.nio.file.Files.readString(java.nio.file.Path.of(a.get("service-token-file"))).trim();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--service-token-file: cannot read " + a.get("service-token-file") + ": " + e.getMessage());
            }
        }
        if (!token.isEmpty()) {
            o = o.withServiceToken(org.steno.access.ServiceToken.of(token));
        }
        return o;
    }

    private static String required(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static String hostPort(Map<String, String> a, String name) {
        String v = required(a, name);
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("--" + name + " must be host:port, got '" + v + "'");
        }
        positive(Map.of(name, v.substring(colon + 1)), name);
        return v;
    }

    private static int positive(Map<String, String> a, String name) {
        try {
            int n = Integer.parseInt(a.get(name));
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a positive number, got '" + a.get(name) + "'");
        }
    }

    /** Checkpoint pacing helper for callers that need the interval as a Duration. */
    public static Duration checkpointInterval(PipelineOptions o) {
        return Duration.ofMillis(o.checkpointIntervalMs());
    }
}
