package org.steno.models.transcriber;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.SphinxDecoder;
import org.steno.models.asr.WholeAudioRecognizer;
import org.steno.models.audio.AudioDecodeException;
import org.steno.models.audio.MediaAudioDecoder;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * The Transcriber contract served by the embedded pocketsphinx engine. Streaming calls are
 * {@link StreamingSession}s; whole files are decoded (FFmpeg for containers) and recognised
 * with the same utterance loop, on the engine's decode threads.
 */
public final class TranscriberService extends TranscriberGrpc.TranscriberImplBase {

    private static final Logger log = LoggerFactory.getLogger(TranscriberService.class);

    private final Supplier<EmbeddedTranscriber> engines;

    public TranscriberService(EmbeddedTranscriber engine) {
        this(() -> engine);
    }

    /** For a role that builds its engine when it starts: calls before that get UNAVAILABLE. */
    public TranscriberService(Supplier<EmbeddedTranscriber> engines) {
        this.engines = engines;
    }

    private static final Status NOT_STARTED = Status.UNAVAILABLE.withDescription("the speech engine is not started yet; retry");

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(StreamObserver<StreamingRecognizeResponse> responses) {
        EmbeddedTranscriber engine = engines.get();
        if (engine == null) {
            responses.onError(NOT_STARTED.asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamingRecognizeRequest value) {
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }
        StreamingSession s = new StreamingSession(engine, (ServerCallStreamObserver<StreamingRecognizeResponse>) responses);
        s.begin();
        return s;
    }

    @Override
    public void recognize(RecognizeRequest req, StreamObserver<RecognizeResponse> responses) {
        EmbeddedTranscriber engine = engines.get();
        if (engine == null) {
            responses.onError(NOT_STARTED.asRuntimeException());
            return;
        }
        try {
            if (req.getRequestId().length() > 256) {
                throw RequestValidator.invalid("request_id is limited to 256 characters");
            }
            if (!req.hasConfig()) {
                throw RequestValidator.invalid("config (RecognitionConfig) is required");
            }
            RequestValidator.recognitionConfig(req.getConfig(), false);
            if (req.getAudioSourceCase() == RecognizeRequest.AudioSourceCase.AUDIOSOURCE_NOT_SET) {
                throw RequestValidator.invalid("set the audio: content (inline bytes) or uri");
            }
            if (!engine.status().ready()) {
                throw new StatusException(Status.UNAVAILABLE.withDescription(engine.status().detail()));
            }
        } catch (StatusException e) {
            responses.onError(e);
            return;
        }
        long timeout = engine.settings().acquireTimeoutMs();
        CompletableFuture<SphinxDecoder> f = engine.pool().acquireAsync();
        f.orTimeout(timeout, TimeUnit.MILLISECONDS).whenCompleteAsync((d, err) -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                responses.onError(Status.RESOURCE_EXHAUSTED.withDescription("no recognizer free: "
                        + (c.getMessage() == null ? "all " + engine.pool().maxDecoders() + " busy" : c.getMessage())
                        + "; retry with backoff").asRuntimeException());
                return;
            }
            try {
                responses.onNext(recognizeWith(engine, d, req));
                responses.onCompleted();
            } catch (StatusException e) {
                responses.onError(e);
            } catch (RuntimeException e) {
                log.error("Recognize {} failed", req.getRequestId(), e);
                responses.onError(Status.INTERNAL.withDescription("recognition failed: " + e.getMessage()).asRuntimeException());
            } finally {
                engine.pool().release(d);
            }
        }, engine.decodeThreads());
    }

    private RecognizeResponse recognizeWith(EmbeddedTranscriber engine, SphinxDecoder d, RecognizeRequest req) throws StatusException {
        short[] samples = audioOf(engine, req);
        List<RecognitionEvent.Final> finals = WholeAudioRecognizer.recognize(d, samples, n -> { });
        ResultMapper mapper = new ResultMapper(req.getConfig().getLanguageCode(), req.getConfig().getWordTimeOffsets(),
                req.getConfig().getWordConfidence(), req.getConfig().hasMediaStart() ? req.getConfig().getMediaStart() : null);
        RecognizeResponse.Builder b = RecognizeResponse.newBuilder()
                .setRequestId(req.getRequestId())
                .setAudioDuration(Durations.ofSamples(samples.length))
                .setEngine(engine.engineInfo());
        for (RecognitionEvent.Final f : finals) {
            b.addResults(mapper.fin(f));
        }
        return b.build();
    }

    /** The request's audio as 16 kHz mono samples. */
    private short[] audioOf(EmbeddedTranscriber engine, RecognizeRequest req) throws StatusException {
        AudioFormat fmt = req.getConfig().getAudioFormat();
        try {
            if (req.getAudioSourceCase() == RecognizeRequest.AudioSourceCase.CONTENT) {
                byte[] bytes = req.getContent().toByteArray();
                if (fmt.getEncoding() == AudioEncoding.AUDIO_ENCODING_LINEAR16) {
                    return linear16(bytes, fmt);
                }
                rejectRaw(fmt);
                return MediaAudioDecoder.decodeAll(bytes);
            }
            Path file = localFile(engine, req.getUri());
            rejectRaw(fmt);
            if (fmt.getEncoding() == AudioEncoding.AUDIO_ENCODING_LINEAR16) {
                return linear16(Files.readAllBytes(file), fmt);
            }
            return MediaAudioDecoder.decodeAll(file);
        } catch (AudioDecodeException e) {
            throw RequestValidator.invalid(e.getMessage());
        } catch (java.io.IOException e) {
            throw new StatusException(Status.NOT_FOUND.withDescription("cannot read " + req.getUri() + ": " + e.getMessage()));
        }
    }

    private static void rejectRaw(AudioFormat fmt) throws StatusException {
        if (fmt.getEncoding() == AudioEncoding.AUDIO_ENCODING_MULAW || fmt.getEncoding() == AudioEncoding.AUDIO_ENCODING_ALAW) {
            throw RequestValidator.invalid(fmt.getEncoding() + " is not supported; send LINEAR16 16000 Hz mono or a container "
                    + "(WAV, FLAC, Ogg/WebM Opus, MP3, anything FFmpeg reads)");
        }
    }

    private static short[] linear16(byte[] bytes, AudioFormat fmt) throws StatusException {
        if (fmt.getSampleRateHz() != 16_000 || fmt.getChannels() > 1) {
            throw RequestValidator.invalid("raw LINEAR16 must be 16000 Hz mono (got " + fmt.getSampleRateHz() + " Hz, "
                    + Math.max(1, fmt.getChannels()) + " channels); send a WAV or other container to have it resampled");
        }
        if ((bytes.length & 1) != 0) {
            throw RequestValidator.invalid("LINEAR16 content of " + bytes.length + " bytes is not a whole number of samples");
        }
        short[] s = new short[bytes.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        return s;
    }

    private static Path localFile(EmbeddedTranscriber engine, String uri) throws StatusException {
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw RequestValidator.invalid("uri '" + uri + "' is not a URI");
        }
        if (!"file".equals(u.getScheme())) {
            throw RequestValidator.invalid("uri scheme '" + u.getScheme() + "' is not served by " + EmbeddedTranscriber.ENGINE_NAME
                    + "; send the audio as content or use a file:// URI");
        }
        if (!engine.settings().allowFileUris()) {
            throw new StatusException(Status.PERMISSION_DENIED.withDescription(
                    "this server does not read local files; send the audio as content"));
        }
        Path p = Path.of(u);
        if (!Files.isRegularFile(p)) {
            throw new StatusException(Status.NOT_FOUND.withDescription(p + " does not exist"));
        }
        return p;
    }
}
