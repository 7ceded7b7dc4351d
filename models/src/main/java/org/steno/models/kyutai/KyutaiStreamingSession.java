package org.steno.models.kyutai;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.audio.Resampler;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.transcriber.Durations;
import org.steno.models.transcriber.RequestValidator;
import org.steno.models.transcriber.ResultMapper;
import org.steno.models.transcriber.SerialExecutor;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognitionResults;
import org.steno.proto.speech.v1.RecognitionStarted;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;

/**
 * One StreamingRecognize call served by moshi-server over one WebSocket at a time.
 *
 * <p>Audio: LINEAR16 16 kHz in, resampled to 24 kHz floats and sent in the server's 1920-sample
 * (80 ms) frames. Flow control: the next request is read only when the previous one's frames are
 * written and our caller reads responses, so a fast caller is held back by gRPC, not queued here.
 *
 * <p>Flush: moshi-server returns a marker only after the model's delay has passed over further
 * audio, so we send the model's delay of silence at once, then the {@code Marker}, then more silence
 * (at {@value #SILENCE_PACE}× real time) until it comes back, then finalise the utterance and answer
 * {@code FlushDone}. Inserted silence is taken out
 * of every offset ({@link ServerTimeline}).
 *
 * <p>Connection loss: moshi-server drops a client that sent no frame for 120 s (pings keep the
 * 20 s timeout away), and a restarting server drops everyone. If no word came since the last
 * returned marker, nothing of the audio since then was shown, so that audio (kept, up to 30 s) is
 * sent again on a new connection (after {@link #REPLAY_BACKOFF}'s wait), and a flush waiting on it
 * too (at most {@value #MAX_REPLAYS} times before a marker returns); idle, the stream reconnects at its next audio. Otherwise it fails with
 * UNAVAILABLE and the caller sends the audio again, as with the remote engine. All state is touched on the stream's {@link SerialExecutor} only.
 */
final class KyutaiStreamingSession implements StreamObserver<StreamingRecognizeRequest> {

    private static final Logger log = LoggerFactory.getLogger(KyutaiStreamingSession.class);
    static final int FRAME_24 = 1920;
    /** Silence after a marker goes faster than real time so a flush takes a fraction of the model's delay. */
    static final int SILENCE_PACE = 4;
    private static final long SILENCE_PERIOD_MS = 80 / SILENCE_PACE;
    /** Unconfirmed audio kept to send again on a new connection: 30 s; past that, a lost connection fails the stream. */
    static final int MAX_UNCONFIRMED_BYTES = 30 * 32_000;
    /** A server that drops every new connection before confirming anything fails the stream after this many tries. */
    static final int MAX_REPLAYS = 3;
    /** Waits before a replay's connection: a restarting server is given 0.25, 0.5, then 1 s. */
    static final org.steno.retry.ExponentialBackoff REPLAY_BACKOFF =
            new org.steno.retry.ExponentialBackoff(java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(1));

    private final KyutaiEngine engine;
    private final KyutaiSettings settings;
    private final ServerCallStreamObserver<StreamingRecognizeResponse> out;
    private final SerialExecutor serial;
    private final AtomicBoolean wantRead = new AtomicBoolean();
    private volatile boolean cancelled;

    // Only touched on the serial executor.
    private boolean configSeen;
    private boolean halfClosed;
    private boolean closed;
    private boolean started;
    private String streamId = "";
    private StreamingRecognitionConfig config;
    private ResultMapper mapper;
    private Connection conn;
    private byte[] waitingAudio; // a chunk that arrived while (re)connecting, or the audio a lost connection did not confirm
    private String replayFlushId; // a flush to send again once the replayed audio is out
    private int replays; // connections lost since the last returned marker, each followed by a replay
    private boolean demanded; // a message was asked for and has not come yet
    private long received16;
    private long markerSeq;
    private PendingFlush flush;
    private final UtteranceAssembler utterance = new UtteranceAssembler();
    private int unknownTypes;

    /** A flush marker sent and not yet returned; {@code clientId} null for the end of the stream. */
    private record PendingFlush(long markerId, String clientId, long offset16) {
    }

    KyutaiStreamingSession(KyutaiEngine engine, ServerCallStreamObserver<StreamingRecognizeResponse> out) {
        this.engine = engine;
        this.settings = engine.settings();
        this.out = out;
        this.serial = new SerialExecutor(engine.work());
    }

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
        demanded = true; // before any message: the first one is asked for here
        out.request(1);
    }

    @Override
    public void onNext(StreamingRecognizeRequest req) {
        serial.execute(() -> handle(req));
    }

    @Override
    public void onError(Throwable t) {
        serial.execute(this::release);
    }

    @Override
    public void onCompleted() {
        serial.execute(() -> {
            if (closed) {
                return;
            }
            halfClosed = true;
            if (!configSeen) {
                fail(Status.INVALID_ARGUMENT.withDescription("stream ended without a config: the first message must be a StreamingRecognitionConfig"));
            } else if (flush == null && waitingAudio == null && (conn == null || conn.ready)) {
                endOfStream();
            }
            // Otherwise a flush or a connection is in progress; it ends the stream when done.
        });
    }

    private void handle(StreamingRecognizeRequest req) {
        demanded = false;
        if (closed) {
            return;
        }
        try {
            switch (req.getRequestCase()) {
                case CONFIG -> onConfig(req.getConfig());
                case AUDIO -> onAudio(req.getAudio().toByteArray());
                case FLUSH -> onFlush(req);
                default -> throw RequestValidator.invalid("empty request: set one of config, audio, flush");
            }
        } catch (StatusException e) {
            fail(e.getStatus());
        } catch (RuntimeException e) {
            log.error("stream {}: Kyutai adapter failed", streamId, e);
            fail(Status.INTERNAL.withDescription("recognition failed: " + e));
        }
    }

    private void onConfig(StreamingRecognitionConfig c) throws StatusException {
        if (configSeen) {
            throw RequestValidator.invalid("config sent twice; only the first message may be the config");
        }
        RequestValidator.streamIdAndSilence(c);
        checkRecognitionConfig(c.getConfig());
        configSeen = true;
        config = c;
        streamId = c.getStreamId();
        RecognitionConfig rc = c.getConfig();
        mapper = new ResultMapper(rc.getLanguageCode(), rc.getWordTimeOffsets(), rc.getWordConfidence(),
                rc.hasMediaStart() ? rc.getMediaStart() : null);
        connect();
    }

    private void checkRecognitionConfig(RecognitionConfig c) throws StatusException {
        String lang = c.getLanguageCode();
        String supported = String.join(", ", settings.languages());
        if (lang.isEmpty()) {
            throw RequestValidator.invalid("language_code is required; " + settings.model() + " speaks " + supported);
        }
        if (!settings.speaks(lang)) {
            throw RequestValidator.invalid("language '" + lang + "' is not spoken by " + settings.model() + "; supported: " + supported);
        }
        if (c.getAlternativeLanguageCodesCount() > 3) {
            throw RequestValidator.invalid("at most 3 alternative_language_codes, got " + c.getAlternativeLanguageCodesCount());
        }
        if (c.getMaxAlternatives() > 10) {
            throw RequestValidator.invalid("max_alternatives must be 1–10 (0 means 1), got " + c.getMaxAlternatives());
        }
        if (c.getSpeakerLabels()) {
            throw RequestValidator.invalid("speaker_labels is not supported by " + KyutaiEngine.ENGINE_NAME + "; diarize with the Diarizer service");
        }
        if (!c.getModel().isEmpty() && !c.getModel().equals(settings.model())) {
            throw RequestValidator.invalid("model '" + c.getModel() + "' is unknown; available: " + settings.model());
        }
        if (!c.getCustomOptionsMap().isEmpty()) {
            throw RequestValidator.invalid("custom_options key '" + c.getCustomOptionsMap().keySet().iterator().next()
                    + "' is unknown; " + KyutaiEngine.ENGINE_NAME + " accepts no custom options");
        }
        if (c.getSpeechContextsCount() > 50) {
            throw RequestValidator.invalid("at most 50 speech_contexts, got " + c.getSpeechContextsCount());
        }
        RequestValidator.streamingAudioFormat(c.getAudioFormat());
    }

    // ---- connection ------------------------------------------------------------------------

    private void connect() {
        Connection c = new Connection(received16);
        conn = c;
        MoshiSocket.open(engine.http(), settings, c).whenComplete((x, err) -> serial.execute(() -> {
            if (err != null && c == conn && !closed) {
                if (replays > 0 && replays < MAX_REPLAYS) {
                    // A restarting server refuses connections for a moment: the replay tries again, later.
                    replays++;
                    reconnectLater();
                    return;
                }
                fail(KyutaiErrors.connectFailed(settings, err));
            }
        }));
    }

    /** A replay's connection, after {@link #REPLAY_BACKOFF}'s delay for this try: the placeholder keeps the audio waiting. */
    private void reconnectLater() {
        Connection waiting = new Connection(received16);
        conn = waiting; // not ready: audio and flushes that come meanwhile wait, as while connecting
        long ms = REPLAY_BACKOFF.delay(replays).toMillis();
        engine.timer().schedule(() -> serial.execute(() -> {
            if (!closed && conn == waiting) {
                connect();
            }
        }), ms, TimeUnit.MILLISECONDS);
    }

    private void onOpened(Connection c, MoshiSocket socket) {
        if (c != conn || closed) {
            socket.abort();
            return;
        }
        c.socket = socket;
        long ms = settings.connectTimeout().toMillis();
        c.readyTimer = engine.timer().schedule(() -> serial.execute(() -> {
            if (c == conn && !c.ready && !closed) {
                fail(KyutaiErrors.notReady(settings, ms));
            }
        }), ms, TimeUnit.MILLISECONDS);
    }

    private void onReady(Connection c) {
        c.ready = true;
        if (c.readyTimer != null) {
            c.readyTimer.cancel(false);
        }
        int lead = (int) (settings.leadingSilence().toMillis() * ServerTimeline.SERVER_RATE / 1000);
        for (int sent = 0; sent < lead; sent += FRAME_24) {
            sendSilenceFrame(c, Math.min(FRAME_24, lead - sent));
        }
        if (!started) {
            started = true;
            send(response().setStarted(RecognitionStarted.newBuilder()
                    .setEngine(engine.engineInfo())
                    .setLanguageCode(config.getConfig().getLanguageCode())
                    .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                            .setSampleRateHz(16_000).setChannels(1))));
        }
        if (waitingAudio != null) {
            byte[] a = waitingAudio;
            waitingAudio = null;
            sendAudio(a);
        } else if (halfClosed) {
            endOfStream();
        } else {
            requestNext();
        }
    }

    // ---- caller's messages -------------------------------------------------------------------

    private void onAudio(byte[] bytes) throws StatusException {
        requireConfig("audio");
        RequestValidator.audioChunk(bytes.length);
        if (bytes.length == 0) {
            requestNext(); // nothing to send, nothing to wait for
            return;
        }
        if (conn == null) {
            // The server dropped an idle connection; this audio opens the next one.
            waitingAudio = bytes;
            connect();
            return;
        }
        if (!conn.ready) {
            // Reconnecting: after a replay's audio, if the caller had been asked for more before the loss.
            waitingAudio = waitingAudio == null ? bytes : concat(waitingAudio, bytes);
            return;
        }
        sendAudio(bytes);
    }

    private void sendAudio(byte[] bytes) {
        Connection c = conn;
        c.keepUnconfirmed(bytes);
        received16 += bytes.length / 2;
        short[] s = new short[bytes.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8));
        }
        short[] r = c.resampler.process(s);
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        for (short v : r) {
            c.frame[c.frameLen++] = v / 32768f;
            if (c.frameLen == FRAME_24) {
                last = c.socket.send(MoshiCodec.audio(c.frame, 0, FRAME_24));
                c.timeline.audioSent(FRAME_24);
                c.frameLen = 0;
            }
        }
        c.audioSinceMarker = true;
        last.whenComplete((x, err) -> serial.execute(() -> {
            if (err != null) {
                if (closed || c != conn || c.gone) {
                    return;
                }
                c.socket.abort();
                onConnectionLost(c, "could not be written to (" + KyutaiErrors.reason(KyutaiErrors.unwrap(err)) + ")");
                return;
            }
            if (c != conn) {
                return; // replayed on the next connection, which goes on from there
            }
            if (replayFlushId != null) {
                // The replayed audio is out again: the flush it was waiting for goes again too.
                String id = replayFlushId;
                replayFlushId = null;
                startFlush(id);
            } else if (halfClosed && flush == null) {
                endOfStream();
            } else {
                requestNext();
            }
        }));
    }

    private void onFlush(StreamingRecognizeRequest req) throws StatusException {
        requireConfig("a flush marker");
        RequestValidator.flush(req.getFlush());
        if (conn != null && !conn.ready && waitingAudio != null) {
            // Reconnecting with audio to send again: the flush follows it once it is out.
            replayFlushId = req.getFlush().getId();
            return;
        }
        startFlush(req.getFlush().getId());
    }

    /** Sends a marker and silence after it; {@link #onMarker} finishes. {@code clientId} null: end of stream. */
    private void startFlush(String clientId) {
        Connection c = conn;
        if (c == null || !c.audioSinceMarker) {
            // Nothing is waiting for the model: everything before this point is final already.
            emit(utterance.finish());
            if (clientId != null) {
                sendFlushDone(clientId, received16);
                requestNext();
            } else {
                finishStream();
            }
            return;
        }
        if (c.frameLen > 0) {
            // Complete the frame with zeros so every audio sample reaches the model before the marker.
            int pad = FRAME_24 - c.frameLen;
            java.util.Arrays.fill(c.frame, c.frameLen, FRAME_24, 0f);
            c.socket.send(MoshiCodec.audio(c.frame, 0, FRAME_24));
            c.timeline.audioSent(c.frameLen);
            c.timeline.silenceSent(pad);
            c.frameLen = 0;
        }
        // moshi-server counts a marker's delay in steps of its whole batch, and a busy batch steps
        // whether or not our next frames have arrived, so a marker followed by silence can come back
        // before our slot has stepped over the model's delay (words lost). The model's delay worth of
        // silence goes before the marker instead: the server takes one message per slot per step, so
        // by the time it reads the marker our slot has stepped past every word of the audio.
        int burst = (int) (settings.flushSilence().toMillis() * ServerTimeline.SERVER_RATE / 1000);
        for (int sent = 0; sent < burst; sent += FRAME_24) {
            sendSilenceFrame(c, FRAME_24);
        }
        long id = ++markerSeq;
        flush = new PendingFlush(id, clientId, received16);
        c.socket.send(MoshiCodec.marker(id));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.flushTimeout().toMillis());
        pumpSilence(c, id, deadline);
    }

    private void pumpSilence(Connection c, long markerId, long deadlineNanos) {
        if (closed || c != conn || flush == null || flush.markerId() != markerId) {
            return;
        }
        if (System.nanoTime() > deadlineNanos) {
            fail(KyutaiErrors.markerLate(settings, settings.flushTimeout().toMillis()));
            return;
        }
        sendSilenceFrame(c, FRAME_24);
        engine.timer().schedule(() -> serial.execute(() -> pumpSilence(c, markerId, deadlineNanos)),
                SILENCE_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sendSilenceFrame(Connection c, int samples) {
        c.socket.send(MoshiCodec.audio(new float[samples], 0, samples));
        c.timeline.silenceSent(samples);
    }

    private void endOfStream() {
        if (closed) {
            return;
        }
        startFlush(null);
    }

    // ---- server's messages -------------------------------------------------------------------

    private void onServer(Connection c, MoshiMessage m) {
        if (closed || c != conn) {
            return;
        }
        if (m instanceof MoshiMessage.Ready) {
            if (!c.ready) {
                onReady(c);
            }
        } else if (m instanceof MoshiMessage.Word w) {
            c.wordsSinceMarker = true;
            RecognitionEvent.Interim i = utterance.word(w.text(), c.timeline.toStream16(w.startTime()));
            if (i != null && config.getInterimResults()) {
                emit(List.of(i));
            }
        } else if (m instanceof MoshiMessage.EndWord e) {
            utterance.endWord(c.timeline.toStream16(e.stopTime()));
        } else if (m instanceof MoshiMessage.Step s) {
            if (s.prs().length > settings.pauseHead() && s.prs()[settings.pauseHead()] > settings.pauseThreshold()) {
                emit(utterance.finish());
            }
        } else if (m instanceof MoshiMessage.Marker k) {
            onMarker(c, k.id());
        } else if (m instanceof MoshiMessage.Error e) {
            c.gone = true;
            c.socket.abort();
            fail(MoshiCodec.NO_FREE_CHANNELS.equals(e.message()) ? KyutaiErrors.noFreeChannel(settings)
                    : KyutaiErrors.serverError(settings, e.message()));
        } else if (m instanceof MoshiMessage.Unknown u) {
            if (unknownTypes++ == 0) {
                log.warn("stream {}: Kyutai server {} sent a message of unknown type '{}'; ignoring such messages",
                        streamId, settings.where(), u.type());
            }
        }
    }

    private void onMarker(Connection c, long id) {
        PendingFlush f = flush;
        if (f == null || f.markerId() != id) {
            return; // a marker of an earlier connection or a repeat
        }
        flush = null;
        c.audioSinceMarker = false;
        c.confirmed();
        replays = 0;
        emit(utterance.finish());
        if (f.clientId() == null) {
            finishStream();
            return;
        }
        sendFlushDone(f.clientId(), f.offset16());
        if (halfClosed) {
            endOfStream();
        } else {
            requestNext();
        }
    }

    private void onConnectionLost(Connection c, String how) {
        if (closed || c != conn || c.gone) {
            return;
        }
        c.gone = true;
        if (c.readyTimer != null) {
            c.readyTimer.cancel(false);
        }
        if (c.ready && !c.wordsSinceMarker && !c.unconfirmedOverflow && !utterance.isOpen() && replays < MAX_REPLAYS) {
            // No word came for the audio since the last returned marker, so none was shown: that audio
            // (none at all when idle) goes again on a new connection, and a flush waiting on it goes again.
            byte[] again = c.unconfirmed();
            PendingFlush f = flush;
            flush = null;
            conn = null;
            if (again.length == 0 && f == null) {
                log.info("stream {}: Kyutai server {} {} while the stream was idle; reconnecting at the next audio",
                        streamId, settings.where(), how);
                return;
            }
            log.info("stream {}: Kyutai server {} {} before recognising the last {} ms; sending them again on a new connection",
                    streamId, settings.where(), how, again.length / 32);
            replays++;
            received16 -= again.length / 2;
            if (f != null && f.clientId() != null) {
                replayFlushId = f.clientId();
            }
            if (again.length == 0) {
                // A flush with nothing unconfirmed before it: it only needs the marker again.
                startFlushAgain(f);
                return;
            }
            waitingAudio = again;
            reconnectLater();
            return;
        }
        if (!c.ready && !started) {
            fail(Status.UNAVAILABLE.withDescription("Kyutai server " + settings.where() + " " + how + " before it was ready; retry"));
            return;
        }
        fail(KyutaiErrors.droppedMidStream(settings, how));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private void startFlushAgain(PendingFlush f) {
        replayFlushId = null;
        if (f.clientId() == null) {
            endOfStream();
        } else {
            startFlush(f.clientId());
        }
    }

    private void onBadFrame(Connection c, MoshiProtocolException e) {
        if (closed || c != conn) {
            return;
        }
        log.warn("stream {}: Kyutai server {} sent a bad frame: {}", streamId, settings.where(), e.getMessage());
        c.gone = true;
        c.socket.abort();
        fail(KyutaiErrors.badFrame(settings, e));
    }

    // ---- results -----------------------------------------------------------------------------

    private void emit(List<RecognitionEvent> events) {
        for (RecognitionEvent e : events) {
            if (e instanceof RecognitionEvent.Interim i) {
                send(response().setResults(RecognitionResults.newBuilder().addResults(mapper.interim(i))));
            } else if (e instanceof RecognitionEvent.Final f) {
                send(response().setResults(RecognitionResults.newBuilder().addResults(mapper.fin(f))));
            } else if (e instanceof RecognitionEvent.UtteranceEnded u) {
                send(response().setEndOfUtterance(mapper.endOfUtterance(u)));
            }
        }
    }

    private void sendFlushDone(String id, long offset16) {
        FlushDone.Builder done = FlushDone.newBuilder().setId(id).setOffset(Durations.ofSamples(offset16));
        if (mapper.mediaTime(offset16) != null) {
            done.setMediaTime(mapper.mediaTime(offset16));
        }
        send(response().setFlushDone(done));
    }

    private StreamingRecognizeResponse.Builder response() {
        return StreamingRecognizeResponse.newBuilder().setStreamId(streamId).setAudioProcessed(Durations.ofSamples(received16));
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

    private void requireConfig(String what) throws StatusException {
        if (!configSeen) {
            throw RequestValidator.invalid(what + " before the config: the first message must be a StreamingRecognitionConfig");
        }
    }

    private void requestNext() {
        if (closed || demanded) {
            // One message asked for at a time: a replay completing after its chunk had already asked must not ask twice.
            return;
        }
        demanded = true;
        wantRead.set(true);
        if (out.isReady() && wantRead.compareAndSet(true, false)) {
            out.request(1);
        }
    }

    private void finishStream() {
        if (closed) {
            return;
        }
        closed = true;
        Connection c = conn;
        conn = null;
        if (c != null && c.socket != null) {
            c.gone = true;
            c.socket.close();
        }
        try {
            if (!cancelled) {
                out.onCompleted();
            }
        } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("stream {}: completion not delivered: {}", streamId, e.getMessage());
        }
    }

    private void fail(Status status) {
        if (closed) {
            return;
        }
        try {
            if (!cancelled) {
                out.onError(status.asRuntimeException());
            }
        } catch (StatusRuntimeException | IllegalStateException e) {
            log.debug("stream {}: error not delivered: {}", streamId, e.getMessage());
        }
        release();
    }

    /** Frees the connection. Idempotent; runs on the serial executor. */
    private void release() {
        closed = true;
        Connection c = conn;
        conn = null;
        if (c != null) {
            c.gone = true;
            if (c.readyTimer != null) {
                c.readyTimer.cancel(false);
            }
            if (c.socket != null) {
                c.socket.abort();
            }
        }
    }

    /** One WebSocket of this stream and what was sent on it; its events go to the serial executor. */
    private final class Connection implements MoshiSocket.Events {
        final ServerTimeline timeline;
        final Resampler resampler = new Resampler(16_000, ServerTimeline.SERVER_RATE);
        final float[] frame = new float[FRAME_24];
        int frameLen;
        MoshiSocket socket;
        ScheduledFuture<?> readyTimer;
        boolean ready;
        boolean gone;
        /** Audio was sent that no returned marker covers yet: words for it may still come. */
        boolean audioSinceMarker;
        /** A word came since the last returned marker: the audio before it cannot be sent again without repeating it. */
        boolean wordsSinceMarker;
        /** The caller's audio since the last returned marker, kept (up to {@link #MAX_UNCONFIRMED_BYTES}) to send again. */
        private final java.util.ArrayList<byte[]> unconfirmed = new java.util.ArrayList<>();
        private int unconfirmedBytes;
        boolean unconfirmedOverflow;

        void keepUnconfirmed(byte[] bytes) {
            if (unconfirmedOverflow || unconfirmedBytes + bytes.length > MAX_UNCONFIRMED_BYTES) {
                unconfirmedOverflow = true;
                unconfirmed.clear();
                return;
            }
            unconfirmed.add(bytes);
            unconfirmedBytes += bytes.length;
        }

        byte[] unconfirmed() {
            byte[] all = new byte[unconfirmedBytes];
            int o = 0;
            for (byte[] b : unconfirmed) {
                System.arraycopy(b, 0, all, o, b.length);
                o += b.length;
            }
            return all;
        }

        void confirmed() {
            unconfirmed.clear();
            unconfirmedBytes = 0;
            unconfirmedOverflow = false;
            wordsSinceMarker = false;
        }

        Connection(long base16) {
            this.timeline = new ServerTimeline(base16);
        }

        @Override
        public void onOpen(MoshiSocket socket) {
            serial.execute(() -> onOpened(this, socket));
        }

        @Override
        public void onMessage(MoshiMessage message) {
            serial.execute(() -> onServer(this, message));
        }

        @Override
        public void onBadFrame(MoshiProtocolException problem) {
            serial.execute(() -> KyutaiStreamingSession.this.onBadFrame(this, problem));
        }

        @Override
        public void onClosed(int code, String reason) {
            serial.execute(() -> onConnectionLost(this, "closed the connection (code " + code
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")"));
        }

        @Override
        public void onFailed(Throwable error) {
            serial.execute(() -> onConnectionLost(this, "dropped the connection ("
                    + KyutaiErrors.reason(KyutaiErrors.unwrap(error)) + ")"));
        }
    }
}
