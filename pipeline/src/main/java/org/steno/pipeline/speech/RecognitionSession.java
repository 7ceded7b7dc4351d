package org.steno.pipeline.speech;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.SpeakerAttribution;
import org.steno.proto.speech.v1.SpeechRecognitionAlternative;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.proto.speech.v1.WordInfo;

/**
 * One long-lived {@code Transcriber.StreamingRecognize} call for one track. Only speech is
 * sent (silence is cut by segmentation), so the stream's offsets are not media times: every
 * discontinuity records an anchor (stream offset → media time, segment) and results are
 * mapped back through it. Responses arrive on gRPC threads and wait in a queue until the
 * Flink task thread collects them; {@link #send} waits for flow control, so a slow model
 * back-pressures the job instead of growing a buffer.
 */
final class RecognitionSession implements ResultQueue.Source<Recognition>, ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse> {

    private final String streamId;
    private final RecognizerSettings settings;
    private final CallReadiness readiness = new CallReadiness();
    private final ResultQueue<Recognition> results;
    private final StreamTimeline timeline = new StreamTimeline();
    private final Map<String, Integer> ordinals = new HashMap<>();
    private final Map<Long, Integer> nextOrdinal = new HashMap<>();
    private volatile TrackEvent latest;
    private volatile ClientCallStreamObserver<StreamingRecognizeRequest> requests;
    private volatile Status error;
    private volatile boolean started;
    private volatile boolean finishing;
    private volatile boolean closed;
    /**
     * Latest segment whose close was handed downstream (task thread only). Its audio may be
     * dropped from state: a checkpoint from now on holds the segment's results downstream.
     * Counting it when the FlushDone arrives instead would let a checkpoint between the two
     * lose the segment on restore: audio gone, results still in this session's queue.
     */
    private long confirmedSegmentStart = Long.MIN_VALUE;
    private volatile long flushSentAtNanos;
    private final AtomicInteger outstandingFlushes = new AtomicInteger();
    private volatile boolean segmentOpen;


    /** @param hasResults told (once until {@link #unflag}) when results are waiting, so the task need not scan every session */
    RecognitionSession(String streamId, RecognizerSettings settings, TrackEvent first,
                       java.util.function.Consumer<RecognitionSession> hasResults) {
        this.streamId = streamId;
        this.settings = settings;
        this.latest = first;
        this.results = new ResultQueue<>(() -> hasResults.accept(this));
    }

    private void queue(Recognition r) {
        results.add(r);
    }

    /** Called before draining, so results that arrive meanwhile flag the session again. */
    @Override
    public void unflag() {
        results.unflag();
    }

    /** Opens the call and sends the config (the contract's first message). */
    void open(Channel channel) {
        TrackEvent e = latest;
        TranscriberGrpc.newStub(channel)
                .withDeadlineAfter(settings.sessionDeadlineMs(), TimeUnit.MILLISECONDS)
                .streamingRecognize(this);
        String lang = e.language() == null || e.language().isEmpty() ? settings.defaultLanguage() : e.language();
        RecognitionConfig config = RecognitionConfig.newBuilder()
                .setLanguageCode(lang)
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(16000).setChannels(1))
                .setWordTimeOffsets(true)
                .setWordConfidence(true)
                .setAutomaticPunctuation(true)
                .setSpeaker(SpeakerAttribution.newBuilder().setMeetingId(e.meetingId()).setTrackId(e.trackId())
                        .setParticipantId(e.participantId()).setSpeakerIdentity(e.speakerIdentity())
                        .setSpeakerDisplayName(e.speakerName()))
                .build();
        requests.onNext(StreamingRecognizeRequest.newBuilder().setConfig(StreamingRecognitionConfig.newBuilder()
                .setConfig(config).setStreamId(streamId).setInterimResults(true)).build());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> r) {
        requests = r;
        r.setOnReadyHandler(readiness::signal);
    }

    /** Sends one piece (audio or a segment's flush marker); waits for flow control. */
    void send(AudioPiece p, TrackEvent meta) throws SessionStuckException {
        if (finishing) {
            throw new SessionStuckException("stream " + streamId + " is closing: its track ended");
        }
        if (meta != null) {
            latest = meta;
        }
        readiness.await(requests, () -> error != null || closed ? describe(error) : null, settings.sendTimeoutMs(),
                "Transcriber stream " + streamId);
        if (p.segmentEnd()) {
            flushSentAtNanos = System.nanoTime();
            outstandingFlushes.incrementAndGet();
            segmentOpen = false;
            requests.onNext(StreamingRecognizeRequest.newBuilder()
                    .setFlush(Flush.newBuilder().setId("s" + p.segmentStartMs())).build());
            return;
        }
        timeline.append(p);
        requests.onNext(StreamingRecognizeRequest.newBuilder().setAudio(ByteString.copyFrom(p.pcm())).build());
        segmentOpen = true;
    }

    /** Half-closes: "end of audio"; the service finalises and ends the call. */
    void finish(TrackEvent end) {
        // A track can end twice (participant left, then the meeting ended): the second end
        // only updates what the close will report (meeting end, the meeting's tracks).
        latest = end;
        if (finishing) {
            return;
        }
        finishing = true;
        if (error == null && !closed) {
            try {
                requests.onCompleted();
            } catch (IllegalStateException e) {
                error = Status.INTERNAL.withDescription("cannot half-close " + streamId + ": " + e.getMessage());
            }
        }
    }

    @Override
    public void onNext(StreamingRecognizeResponse r) {
        long now = System.currentTimeMillis();
        switch (r.getResponseCase()) {
            case STARTED -> started = true;
            case RESULTS -> {
                for (SpeechRecognitionResult res : r.getResults().getResultsList()) {
                    queue(toRecognition(res, now));
                }
            }
            case FLUSH_DONE -> {
                String id = r.getFlushDone().getId();
                outstandingFlushes.updateAndGet(n -> Math.max(0, n - 1));
                if (id.startsWith("s")) {
                    try {
                        long seg = Long.parseLong(id.substring(1));
                        queue(marker(Recognition.Kind.SEGMENT_CLOSED, seg, now));
                    } catch (NumberFormatException ignored) {
                        // Not one of our markers; nothing to confirm.
                    }
                }
            }
            default -> {
                // Voice activity and end-of-utterance events carry nothing the transcript needs.
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        error = Status.fromThrowable(t);
        readiness.signal();
    }

    @Override
    public void onCompleted() {
        if (!finishing) {
            error = Status.UNAVAILABLE.withDescription("the Transcriber ended stream " + streamId + " before the track ended");
        }
        closed = true;
        readiness.signal();
    }

    private Recognition toRecognition(SpeechRecognitionResult res, long now) {
        long seg = timeline.segmentAt(toMs(res.getStartOffset()));
        int ordinal;
        synchronized (ordinals) {
            ordinal = ordinals.computeIfAbsent(res.getUtteranceId(), k -> nextOrdinal.merge(seg, 1, Integer::sum) - 1);
        }
        SpeechRecognitionAlternative alt = res.getAlternativesCount() > 0
                ? res.getAlternatives(0) : SpeechRecognitionAlternative.getDefaultInstance();
        Word[] words = new Word[alt.getWordsCount()];
        for (int i = 0; i < words.length; i++) {
            WordInfo w = alt.getWords(i);
            words[i] = new Word(w.getWord(), media(toMs(w.getStartOffset())), timeline.mediaOfEnd(toMs(w.getEndOffset())),
                    w.getConfidence());
        }
        TrackEvent m = latest;
        return new Recognition(Recognition.Kind.RESULT, m.meetingId(), m.transcriptId(), m.trackId(), m.participantId(),
                m.speakerIdentity(), m.speakerName(), res.getLanguageCode().isEmpty() ? m.language() : res.getLanguageCode(),
                seg, ordinal, res.getRevision(), res.getIsFinal(), res.getIsFinal() ? 1f : res.getStability(),
                alt.getTranscript().strip(), words, media(toMs(res.getStartOffset())), timeline.mediaOfEnd(toMs(res.getEndOffset())),
                false, new String[0], m.meeting(), now, m.sharedMicrophone());
    }

    private Recognition marker(Recognition.Kind kind, long seg, long now) {
        TrackEvent m = latest;
        return new Recognition(kind, m.meetingId(), m.transcriptId(), m.trackId(), m.participantId(), m.speakerIdentity(),
                m.speakerName(), m.language(), seg, 0, 0, true, 1f, "", new Word[0], seg, seg,
                m.meetingEnd(), m.meetingTracks(), m.meeting(), now, m.sharedMicrophone());
    }

    /** The TRACK_CLOSED record, built from the track's end event. */
    Recognition closedRecord() {
        return marker(Recognition.Kind.TRACK_CLOSED, latest.mediaMs(), System.currentTimeMillis());
    }

    private long media(long offsetMs) {
        return timeline.media(offsetMs);
    }

    private static long toMs(com.google.protobuf.Duration d) {
        return StreamTimeline.toMs(d);
    }

    /** The next queued result (task thread). */
    @Override
    public Recognition poll() {
        Recognition r = results.poll();
        if (r != null && r.kind() == Recognition.Kind.SEGMENT_CLOSED) {
            confirmedSegmentStart = Math.max(confirmedSegmentStart, r.segmentStartMs());
        }
        return r;
    }

    boolean hasQueued() {
        return !results.isEmpty();
    }

    /** Audio or a flush is waiting for an answer, so results must be collected soon. */
    boolean awaitingResults() {
        if (closed) {
            return false;
        }
        // While a segment is open, interims may come at any moment; after its flush, the final will.
        return segmentOpen || outstandingFlushes.get() > 0 || finishing;
    }

    boolean broken() {
        if (error != null) {
            return true;
        }
        return outstandingFlushes.get() > 0
                && System.nanoTime() - flushSentAtNanos > TimeUnit.MILLISECONDS.toNanos(settings.flushTimeoutMs());
    }

    String failure() {
        return error != null ? describe(error) : "no FlushDone within " + settings.flushTimeoutMs() + " ms";
    }

    boolean started() {
        return started;
    }

    /** Ended normally after {@link #finish}: every result has been received. */
    boolean finishedCleanly() {
        return closed && finishing && error == null;
    }

    /** Latest segment whose results and close have been emitted (see the field). */
    long confirmedSegmentStart() {
        return confirmedSegmentStart;
    }

    void cancel() {
        ClientCallStreamObserver<StreamingRecognizeRequest> r = requests;
        if (r != null && !closed) {
            r.cancel("track session closed by the pipeline", null);
        }
    }

    private static String describe(Status s) {
        if (s == null) {
            return "unknown";
        }
        return s.getCode() + (s.getDescription() != null ? ": " + s.getDescription() : "");
    }
}
