package org.steno.pipeline.speech;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * One long-lived {@code Diarizer.StreamingDiarize} call for one shared-microphone track. It
 * is sent the same speech the recogniser gets. What the transcript waits for is finality:
 * the diarizer finalises turns in order, so the end of the latest final turn (or a FlushDone,
 * sent after a lull) says every turn before that media time is final. Voices are named {@code <session>/<label>}: a new session (after a
 * failure or a restore) starts new voices, because nothing says its labels are the old ones.
 */
final class DiarizationSession implements ResultQueue.Source<VoiceTurns>, ClientResponseObserver<StreamingDiarizeRequest, StreamingDiarizeResponse> {

    private final String session;
    private final DiarizerSettings settings;
    private final TrackEvent track;
    private final CallReadiness readiness = new CallReadiness();
    private final StreamTimeline timeline = new StreamTimeline();
    private final ResultQueue<VoiceTurns> results;
    private final AtomicBoolean reportedFailure = new AtomicBoolean();
    private volatile ClientCallStreamObserver<StreamingDiarizeRequest> requests;
    private volatile Status error;
    private volatile boolean finishing;
    private volatile boolean closed;
    private final AtomicInteger outstandingFlushes = new AtomicInteger();
    /** Media time up to which speech was sent: a failure leaves it undiarized. */
    private volatile long sentUpToMs;
    private volatile boolean started;

    DiarizationSession(String session, DiarizerSettings settings, TrackEvent track, Consumer<DiarizationSession> hasResults) {
        this.session = session;
        this.settings = settings;
        this.track = track.withoutAudio();
        this.results = new ResultQueue<>(() -> hasResults.accept(this));
    }

    void open(Channel channel) {
        DiarizerGrpc.newStub(channel).withDeadlineAfter(settings.sessionDeadlineMs(), TimeUnit.MILLISECONDS)
                .streamingDiarize(this);
        requests.onNext(StreamingDiarizeRequest.newBuilder().setConfig(DiarizationConfig.newBuilder()
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(16000).setChannels(1))
                .setLatencyBudget(com.google.protobuf.util.Durations.fromMillis(settings.latencyBudgetMs()))
                .setStreamId(track.key() + "/" + session)).build());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamingDiarizeRequest> r) {
        requests = r;
        r.setOnReadyHandler(readiness::signal);
    }

    /** Sends speech, or (for a segment's end at {@code endMs}) a flush; waits for flow control. */
    void send(AudioPiece p) throws SessionStuckException {
        if (finishing) {
            throw new SessionStuckException("diarization of " + track.key() + " is closing: its track ended");
        }
        readiness.await(requests, () -> error != null || closed ? String.valueOf(error) : null, settings.sendTimeoutMs(),
                "Diarizer stream " + track.key() + "/" + session);
        if (p.segmentEnd()) {
            outstandingFlushes.incrementAndGet();
            requests.onNext(StreamingDiarizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("c" + p.mediaMs())).build());
            return;
        }
        timeline.append(p);
        sentUpToMs = Math.max(sentUpToMs, p.mediaMs() + p.durationMs());
        requests.onNext(StreamingDiarizeRequest.newBuilder().setAudio(ByteString.copyFrom(p.pcm())).build());
    }

    /** Half-closes: the diarizer finalises every turn and ends the call. */
    void finish() {
        if (finishing) {
            return;
        }
        finishing = true;
        if (error == null && !closed) {
            try {
                requests.onCompleted();
            } catch (IllegalStateException e) {
                fail(Status.INTERNAL.withDescription("cannot half-close: " + e.getMessage()));
            }
        }
    }

    @Override
    public void onNext(StreamingDiarizeResponse r) {
        started = true;
        switch (r.getResponseCase()) {
            case TURNS -> {
                var list = r.getTurns().getTurnsList();
                VoiceTurn[] turns = new VoiceTurn[list.size()];
                long finalUpTo = Long.MIN_VALUE;
                for (int i = 0; i < turns.length; i++) {
                    turns[i] = voiceTurn(list.get(i));
                    if (list.get(i).getIsFinal() && !list.get(i).getWithdrawn()) {
                        finalUpTo = Math.max(finalUpTo, turns[i].endMs());
                    }
                }
                queue(new VoiceTurns(VoiceTurns.Kind.TURNS, track.meetingId(), track.transcriptId(), track.trackId(),
                        turns, 0, ""));
                if (finalUpTo != Long.MIN_VALUE) {
                    queue(VoiceTurns.marker(VoiceTurns.Kind.COVERED, track, finalUpTo, ""));
                }
            }
            case FLUSH_DONE -> {
                outstandingFlushes.updateAndGet(n -> Math.max(0, n - 1));
                String id = r.getFlushDone().getId();
                if (id.startsWith("c")) {
                    try {
                        queue(VoiceTurns.marker(VoiceTurns.Kind.COVERED, track, Long.parseLong(id.substring(1)), ""));
                    } catch (NumberFormatException ignored) {
                        // Not one of our markers.
                    }
                }
            }
            default -> {
                // started: nothing the transcript needs.
            }
        }
    }

    private VoiceTurn voiceTurn(SpeakerTurn t) {
        long start = timeline.media(StreamTimeline.toMs(t.getStartOffset()));
        long end = Math.max(start, timeline.mediaOfEnd(StreamTimeline.toMs(t.getEndOffset())));
        return new VoiceTurn(session + "/" + t.getTurnId(), session + "/" + t.getSpeakerLabel(), t.getSpeakerLabel(),
                t.getRevision(), t.getWithdrawn(), start, end);
    }

    @Override
    public void onError(Throwable t) {
        fail(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        if (!finishing) {
            closed = true;
            fail(Status.UNAVAILABLE.withDescription("the Diarizer ended the stream before the track ended"));
            return;
        }
        // Queued before `closed` is set, so whoever sees finishedCleanly() finds ENDED queued.
        queue(VoiceTurns.marker(VoiceTurns.Kind.ENDED, track, Long.MAX_VALUE, ""));
        closed = true;
        readiness.signal();
    }

    private void fail(Status s) {
        // Queued before `error` is set, so whoever sees broken() finds UNAVAILABLE queued.
        if (reportedFailure.compareAndSet(false, true)) {
            queue(VoiceTurns.marker(VoiceTurns.Kind.UNAVAILABLE, track, sentUpToMs, describe(s)));
            error = s; // the first failure is the one to report; a cancel that follows is its consequence
        }
        readiness.signal();
    }

    /** Gives up on a diarizer that stopped answering: reported like a failure, and the call is cancelled. */
    void abandon(String why) {
        fail(Status.DEADLINE_EXCEEDED.withDescription(why));
        cancel();
    }

    private void queue(VoiceTurns v) {
        results.add(v);
    }

    @Override
    public void unflag() {
        results.unflag();
    }

    @Override
    public VoiceTurns poll() {
        return results.poll();
    }

    boolean broken() {
        return error != null;
    }

    /** Ended normally after {@link #finish}. */
    boolean finishedCleanly() {
        return closed && finishing && error == null;
    }

    boolean awaitingResults() {
        return !closed && error == null && (outstandingFlushes.get() > 0 || finishing);
    }

    String failure() {
        return describe(error);
    }

    private static String describe(Status s) {
        return s == null ? "none" : s.getCode() + (s.getDescription() != null ? ": " + s.getDescription() : "");
    }

    /** The track this session diarizes (without audio). */
    TrackEvent track() {
        return track;
    }

    /** The diarizer has answered this session at least once. */
    boolean started() {
        return started;
    }

    void cancel() {
        ClientCallStreamObserver<StreamingDiarizeRequest> r = requests;
        if (r != null && !closed) {
            r.cancel("track diarization closed by the pipeline", null);
        }
    }
}
