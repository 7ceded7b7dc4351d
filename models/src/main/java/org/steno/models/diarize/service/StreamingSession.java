package org.steno.models.diarize.service;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.models.diarize.BuiltinDiarizer;
import org.steno.models.diarize.Pcm;
import org.steno.models.diarize.SpeakerCount;
import org.steno.models.diarize.StreamingDiarizer;
import org.steno.models.diarize.TurnUpdate;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizationStarted;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.SpeakerTurnUpdate;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * One StreamingDiarize call. gRPC delivers its requests one at a time (never concurrently), and
 * only after {@link #requestNext()} asked for one; {@link #release()} may come from a cancel on
 * another thread, hence the synchronisation.
 */
final class StreamingSession implements StreamObserver<StreamingDiarizeRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamingSession.class);

    private final BuiltinDiarizer engine;
    private final ServerCallStreamObserver<StreamingDiarizeResponse> call;
    private final AtomicInteger activeSessions;
    private DiarizationConfig config;
    private StreamingDiarizer diarizer;
    private long bytesReceived;
    private boolean closed;
    /** A request is owed to the client once the response stream drains. */
    private boolean wantsMore;

    StreamingSession(BuiltinDiarizer engine, ServerCallStreamObserver<StreamingDiarizeResponse> call, AtomicInteger activeSessions) {
        this.engine = engine;
        this.call = call;
        this.activeSessions = activeSessions;
    }

    @Override
    public synchronized void onNext(StreamingDiarizeRequest request) {
        if (closed) {
            return;
        }
        try {
            switch (request.getRequestCase()) {
                case CONFIG -> configure(request.getConfig());
                case AUDIO -> audio(request.getAudio().toByteArray());
                case FLUSH -> flush(request.getFlush());
                default -> throw new DiarizationRequests.InvalidRequest("request carries none of config, audio or flush");
            }
            requestNext();
        } catch (DiarizationRequests.InvalidRequest e) {
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("diarization stream {} failed", config == null ? "?" : config.getStreamId(), e);
            fail(Status.INTERNAL.withDescription("diarization failed: " + e));
        }
    }

    @Override
    public synchronized void onError(Throwable t) {
        release();
    }

    @Override
    public synchronized void onCompleted() {
        if (closed) {
            return;
        }
        try {
            if (diarizer != null) {
                send(diarizer.finish());
            }
            release();
            call.onCompleted();
        } catch (RuntimeException e) {
            LOG.error("diarization stream {} failed at end of audio", config == null ? "?" : config.getStreamId(), e);
            fail(Status.INTERNAL.withDescription("diarization failed: " + e));
        }
    }

    /** The response stream drained: if a request was held back, ask for it now. */
    synchronized void onReady() {
        if (wantsMore && !closed) {
            requestNext();
        }
    }

    /** Frees the engine state; idempotent. Called on cancel, error and completion. */
    synchronized void release() {
        if (!closed) {
            closed = true;
            if (diarizer != null) {
                diarizer = null;
                activeSessions.decrementAndGet();
            }
        }
    }

    private void requestNext() {
        if (closed) {
            return;
        }
        if (call.isReady()) {
            wantsMore = false;
            call.request(1);
        } else {
            wantsMore = true;
        }
    }

    private void configure(DiarizationConfig c) throws DiarizationRequests.InvalidRequest {
        if (config != null) {
            throw new DiarizationRequests.InvalidRequest("config was already sent; send it once, as the first message, then audio and flush markers");
        }
        DiarizationRequests.checkCommon(c);
        DiarizationRequests.checkStreamingFormat(c);
        SpeakerCount count = DiarizationRequests.speakerCount(c);
        double budget = DiarizationRequests.latencyBudgetSeconds(c);
        config = c;
        diarizer = new StreamingDiarizer(engine, count, budget);
        activeSessions.incrementAndGet();
        call.onNext(response().setStarted(DiarizationStarted.newBuilder().setEngine(DiarizerService.ENGINE)).build());
    }

    private void audio(byte[] chunk) throws DiarizationRequests.InvalidRequest {
        requireConfig("audio");
        if (chunk.length > DiarizationRequests.MAX_CHUNK_BYTES) {
            throw new DiarizationRequests.InvalidRequest("chunk of " + chunk.length + " bytes exceeds " + DiarizationRequests.MAX_CHUNK_BYTES
                    + " (1 s of LINEAR16 16000 Hz mono); send ≤ 100 ms (3200 bytes) per chunk");
        }
        if (chunk.length % 2 != 0) {
            throw new DiarizationRequests.InvalidRequest("chunk of " + chunk.length + " bytes is not a whole number of 16-bit mono samples");
        }
        bytesReceived += chunk.length;
        send(diarizer.accept(Pcm.fromS16le(chunk, 0, chunk.length)));
    }

    private void flush(Flush flush) throws DiarizationRequests.InvalidRequest {
        requireConfig("a flush marker");
        String id = flush.getId();
        if (id.isEmpty() || id.length() > 64 || !id.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
            throw new DiarizationRequests.InvalidRequest("flush id must be 1–64 printable ASCII characters, got '" + id + "'");
        }
        send(diarizer.flush());
        double offset = seconds();
        FlushDone.Builder done = FlushDone.newBuilder().setId(id).setOffset(DiarizationRequests.duration(offset));
        if (config.hasMediaStart()) {
            done.setMediaTime(DiarizationRequests.plus(config.getMediaStart(), offset));
        }
        call.onNext(response().setFlushDone(done).build());
    }

    private void requireConfig(String what) throws DiarizationRequests.InvalidRequest {
        if (config == null) {
            throw new DiarizationRequests.InvalidRequest(what + " arrived before the config; the first message must be a DiarizationConfig");
        }
    }

    private void send(List<TurnUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        SpeakerTurnUpdate.Builder batch = SpeakerTurnUpdate.newBuilder();
        for (TurnUpdate u : updates) {
            batch.addTurns(DiarizerService.turn(config, u.turnId(), u.revision(), u.isFinal(), u.withdrawn(),
                    u.speaker(), u.start(), u.end(), u.confidence()));
        }
        call.onNext(response().setTurns(batch).build());
    }

    private StreamingDiarizeResponse.Builder response() {
        return StreamingDiarizeResponse.newBuilder()
                .setStreamId(config.getStreamId())
                .setAudioProcessed(DiarizationRequests.duration(seconds()));
    }

    private double seconds() {
        return bytesReceived / 2 / 16000.0;
    }

    private void fail(Status status) {
        release();
        call.onError(status.asRuntimeException());
    }
}
