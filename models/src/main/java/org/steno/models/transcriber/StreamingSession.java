package org.steno.models.transcriber;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.models.asr.PoolExhaustedException;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.SphinxDecoder;
import org.steno.models.asr.StreamingRecognizer;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.RecognitionResults;
import org.steno.proto.speech.v1.RecognitionStarted;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.VoiceActivityType;

/**
 * One StreamingRecognize call. Requests are read one at a time (manual flow control): the
 * next is requested only after the previous one is decoded and the client is reading our
 * responses, so a client faster than real time is throttled by gRPC flow control and nothing
 * queues without bound. All work on the decoder runs on the stream's {@link SerialExecutor},
 * off the transport threads; the decoder goes back to the pool on completion, error or cancel.
 */
final class StreamingSession implements StreamObserver<StreamingRecognizeRequest> {

    private static final Logger log = LoggerFactory.getLogger(StreamingSession.class);

    private final EmbeddedTranscriber engine;
    private final ServerCallStreamObserver<StreamingRecognizeResponse> out;
    private final SerialExecutor serial;
    private final AtomicBoolean wantRead = new AtomicBoolean();
    private volatile boolean cancelled;

    // Only touched on the serial executor.
    private boolean configSeen;
    private boolean halfClosed;
    private boolean closed;
    private String streamId = "";
    private StreamingRecognitionConfig config;
    private long eouSilenceMs;
    private ResultMapper mapper;
    private CompletableFuture<SphinxDecoder> pendingDecoder;
    private SphinxDecoder decoder;
    private StreamingRecognizer recognizer;

    StreamingSession(EmbeddedTranscriber engine, ServerCallStreamObserver<StreamingRecognizeResponse> out) {
        this.engine = engine;
        this.out = out;
        this.serial = new SerialExecutor(engine.decodeThreads());
    }

    /** Wires flow control and cancellation; call before the service method returns. */
    void begin() {
        out.disableAutoRequest();
        out.setOnCancelHandler(() -> {
            cancelled = true;
            serial.execute(this::release);
        });
        out.setOnReadyHandler(() -> {
            if (wantRead.compareAndSet(true, false)) {
                out.request(1);
            }
        });
        out.request(1);
    }

    @Override
    public void onNext(StreamingRecognizeRequest req) {
        serial.execute(() -> handle(req));
    }

    @Override
    public void onError(Throwable t) {
        // The client went away or reset the stream: nobody to answer, just free the decoder.
        serial.execute(this::release);
    }

    @Override
    public void onCompleted() {
        serial.execute(() -> {
            halfClosed = true;
            if (closed) {
                return;
            }
            if (!configSeen) {
                fail(Status.INVALID_ARGUMENT.withDescription("stream ended without a config: the first message must be a StreamingRecognitionConfig"));
            } else if (recognizer != null) {
                finish();
            }
            // Otherwise the config is waiting for a decoder; finish() runs when it arrives.
        });
    }

    private void handle(StreamingRecognizeRequest req) {
        if (closed) {
            return;
        }
        try {
            switch (req.getRequestCase()) {
                case CONFIG -> onConfig(req.getConfig());
                case AUDIO -> onAudio(req.getAudio().size(), req);
                case FLUSH -> onFlush(req);
                default -> throw RequestValidator.invalid("empty request: set one of config, audio, flush");
            }
        } catch (StatusException e) {
            fail(e.getStatus());
        } catch (RuntimeException e) {
            log.error("stream {}: recognition failed", streamId, e);
            fail(Status.INTERNAL.withDescription("recognition failed: " + e.getMessage()));
        }
    }

    private void onConfig(StreamingRecognitionConfig c) throws StatusException {
        if (configSeen) {
            throw RequestValidator.invalid("config sent twice; only the first message may be the config");
        }
        eouSilenceMs = RequestValidator.streamingConfig(c);
        configSeen = true;
        config = c;
        streamId = c.getStreamId();
        if (!engine.status().ready()) {
            fail(Status.UNAVAILABLE.withDescription(engine.status().detail()));
            return;
        }
        mapper = new ResultMapper(c.getConfig().getLanguageCode(), c.getConfig().getWordTimeOffsets(),
                c.getConfig().getWordConfidence(), c.getConfig().hasMediaStart() ? c.getConfig().getMediaStart() : null);
        long timeout = engine.settings().acquireTimeoutMs();
        CompletableFuture<SphinxDecoder> f = engine.pool().acquireAsync();
        pendingDecoder = f;
        f.orTimeout(timeout, TimeUnit.MILLISECONDS)
                .whenComplete((d, err) -> serial.execute(() -> onDecoder(f, d, err, timeout)));
    }

    private void onDecoder(CompletableFuture<SphinxDecoder> f, SphinxDecoder d, Throwable err, long timeout) {
        if (f != pendingDecoder || closed) {
            if (d != null) {
                engine.pool().release(d);
            }
            return;
        }
        pendingDecoder = null;
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof TimeoutException) {
            fail(Status.RESOURCE_EXHAUSTED.withDescription("no recognizer free within " + timeout + " ms (all "
                    + engine.pool().maxDecoders() + " busy); retry with backoff"));
            return;
        }
        if (cause instanceof PoolExhaustedException) {
            fail(Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage()));
            return;
        }
        if (cause != null) {
            fail(Status.UNAVAILABLE.withDescription("recognizer unavailable: " + cause.getMessage()));
            return;
        }
        decoder = d;
        try {
            recognizer = new StreamingRecognizer(d, config.getInterimResults(), eouSilenceMs);
        } catch (RuntimeException e) {
            fail(Status.UNAVAILABLE.withDescription("recognizer could not start: " + e.getMessage()));
            return;
        }
        send(response().setStarted(RecognitionStarted.newBuilder()
                .setEngine(engine.engineInfo())
                .setLanguageCode(config.getConfig().getLanguageCode())
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(16_000).setChannels(1))));
        if (halfClosed) {
            finish();
        } else {
            requestNext();
        }
    }

    private void onAudio(int bytes, StreamingRecognizeRequest req) throws StatusException {
        requireConfig("audio");
        RequestValidator.audioChunk(bytes);
        emit(recognizer.acceptLinear16(req.getAudio().toByteArray(), 0, bytes));
        requestNext();
    }

    private void onFlush(StreamingRecognizeRequest req) throws StatusException {
        requireConfig("a flush marker");
        RequestValidator.flush(req.getFlush());
        emit(recognizer.flush());
        FlushDone.Builder done = FlushDone.newBuilder().setId(req.getFlush().getId())
                .setOffset(Durations.ofSamples(recognizer.processedSamples()));
        if (mapper.mediaTime(recognizer.processedSamples()) != null) {
            done.setMediaTime(mapper.mediaTime(recognizer.processedSamples()));
        }
        send(response().setFlushDone(done));
        requestNext();
    }

    private void requireConfig(String what) throws StatusException {
        if (!configSeen) {
            throw RequestValidator.invalid(what + " before the config: the first message must be a StreamingRecognitionConfig");
        }
        if (recognizer == null) {
            // Cannot happen with one outstanding request; kept so a bug shows as a status, not a crash.
            throw new StatusException(Status.FAILED_PRECONDITION.withDescription(what + " before the recognizer started"));
        }
    }

    private void finish() {
        if (closed) {
            return;
        }
        if (recognizer != null) {
            emit(recognizer.finish());
        }
        closed = true;
        try {
            if (!cancelled) {
                out.onCompleted();
            }
        } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("stream {}: completion not delivered: {}", streamId, e.getMessage());
        }
        release();
    }

    private void fail(Status status) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!cancelled) {
                out.onError(status.asRuntimeException());
            }
        } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("stream {}: error not delivered: {}", streamId, e.getMessage());
        }
        release();
    }

    /** Frees everything the stream holds. Idempotent; runs on the serial executor. */
    private void release() {
        closed = true;
        CompletableFuture<SphinxDecoder> f = pendingDecoder;
        if (f != null) {
            f.cancel(false);
        }
        if (recognizer != null) {
            try {
                recognizer.close();
            } catch (RuntimeException e) {
                log.warn("stream {}: closing the recognizer: {}", streamId, e.getMessage());
            }
            recognizer = null;
        }
        if (decoder != null) {
            engine.pool().release(decoder);
            decoder = null;
        }
    }

    private void requestNext() {
        if (closed) {
            return;
        }
        // Set first, then test: an on-ready signal between the two cannot be lost.
        wantRead.set(true);
        if (out.isReady() && wantRead.compareAndSet(true, false)) {
            out.request(1);
        }
    }

    private void emit(List<RecognitionEvent> events) {
        for (RecognitionEvent e : events) {
            if (e instanceof RecognitionEvent.Interim i) {
                send(response().setResults(RecognitionResults.newBuilder().addResults(mapper.interim(i))));
            } else if (e instanceof RecognitionEvent.Final fin) {
                send(response().setResults(RecognitionResults.newBuilder().addResults(mapper.fin(fin))));
            } else if (e instanceof RecognitionEvent.SpeechStarted s) {
                if (config.getVoiceActivityEvents()) {
                    send(response().setVoiceActivity(mapper.voice(VoiceActivityType.VOICE_ACTIVITY_TYPE_SPEECH_START, s.sample())));
                }
            } else if (e instanceof RecognitionEvent.SpeechEnded s) {
                if (config.getVoiceActivityEvents()) {
                    send(response().setVoiceActivity(mapper.voice(VoiceActivityType.VOICE_ACTIVITY_TYPE_SPEECH_END, s.sample())));
                }
            } else if (e instanceof RecognitionEvent.UtteranceEnded u) {
                send(response().setEndOfUtterance(mapper.endOfUtterance(u)));
            }
        }
    }

    private StreamingRecognizeResponse.Builder response() {
        StreamingRecognizeResponse.Builder b = StreamingRecognizeResponse.newBuilder().setStreamId(streamId);
        if (recognizer != null) {
            b.setAudioProcessed(Durations.ofSamples(recognizer.processedSamples()));
        }
        return b;
    }

    private void send(StreamingRecognizeResponse.Builder b) {
        if (cancelled) {
            return;
        }
        try {
            out.onNext(b.build());
        } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("stream {}: response not delivered: {}", streamId, e.getMessage());
        }
    }
}
