package org.steno.pipeline.speech;

import org.steno.access.ServiceToken;
import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Who spoke when" on shared-microphone tracks: ONE long-lived {@code StreamingDiarize}
 * session per such track, fed the same speech as the recogniser. Its turns go to the
 * transcript assembler, which attributes each recognised word to a voice.
 *
 * <p>Unlike recognition, diarization keeps no audio for a replay: a voice model cannot be
 * resumed in another session anyway. A session that fails is reported (the assembler stops
 * waiting and attributes to the track's owner what it cannot attribute) and a new one, with
 * new voices, opens at the next speech after a backoff; a restored job starts new sessions.
 */
public final class DiarizeFunction extends KeyedProcessFunction<String, TrackEvent, VoiceTurns> {

    private static final Logger LOG = LoggerFactory.getLogger(DiarizeFunction.class);
    /** How often a quiet shared track's session is looked at (late turns, a failure). */
    static final long IDLE_DRAIN_MS = 250;

    private final DiarizerSettings settings;
    private transient ManagedChannel channel;
    private transient Map<String, Track> tracks;
    private transient ConcurrentLinkedQueue<DiarizationSession> withResults;

    /** Live bookkeeping of one track on this subtask. */
    private static final class Track {
        DiarizationSession session;
        long backoffMs = 200;
        long nextAttemptAtMs;
        boolean ended;
        /** When to flush if no speech comes before (0: none due), and the media time it confirms. */
        long idleFlushAtMs;
        long idleFlushMediaMs;
        /** Processing time of the last speech sent: its turns come up to the latency budget later. */
        long lastAudioAtMs;
        /** The current session's failure was logged and its backoff set. */
        boolean failureHandled;
        /** Media end of the latest audio of this track (sent or not): how far a flush or a failure reaches. */
        long heardUpToMs;
        /** Processing time by which a finishing session must have ended (0: not finishing). */
        long finishDueAtMs;
    }

    private final ServiceToken token;

    public DiarizeFunction(DiarizerSettings settings) {
        this(settings, null);
    }

    /** @param token presented to the model server; null where it asks for none */
    public DiarizeFunction(DiarizerSettings settings, ServiceToken token) {
        this.settings = settings;
        this.token = token;
    }

    @Override
    public void open(OpenContext ctx) {
        channel = ModelChannel.open(settings.target(), token);
        tracks = new HashMap<>();
        withResults = new ConcurrentLinkedQueue<>();
    }

    @Override
    public void close() throws Exception {
        if (tracks != null) {
            tracks.values().forEach(t -> {
                if (t.session != null) {
                    t.session.cancel();
                }
            });
            tracks.clear();
        }
        ModelChannel.close(channel);
    }

    @Override
    public void processElement(TrackEvent e, Context ctx, Collector<VoiceTurns> out) throws Exception {
        drain(out);
        if (e.kind() == TrackEvent.Kind.GAP) {
            return; // the transcript hears of it from recognition
        }
        String key = ctx.getCurrentKey();
        Track t = tracks.computeIfAbsent(key, k -> new Track());
        long now = ctx.timerService().currentProcessingTime();
        handleFailure(key, t, now, out); // sets the backoff before anything reopens
        if (e.kind() == TrackEvent.Kind.AUDIO) {
            t.heardUpToMs = Math.max(t.heardUpToMs, e.mediaMs() + e.pcm().length / 32L);
        }
        switch (e.kind()) {
            case AUDIO, SEGMENT_END -> {
                if (t.session == null || t.session.broken()) {
                    if (now < t.nextAttemptAtMs || e.kind() == TrackEvent.Kind.SEGMENT_END) {
                        if (e.kind() == TrackEvent.Kind.SEGMENT_END) {
                            // Nobody diarized this segment: say so, so its words are not held back.
                            out.collect(VoiceTurns.marker(VoiceTurns.Kind.UNAVAILABLE, e, t.heardUpToMs,
                                    "no Diarizer session"));
                        }
                        break;
                    }
                    openSession(key, t, e);
                }
                if (e.kind() == TrackEvent.Kind.AUDIO) {
                    t.idleFlushAtMs = 0;
                    t.lastAudioAtMs = now;
                    send(key, t, new AudioPiece(e.segmentStartMs(), e.mediaMs(), e.pcm(), false));
                } else {
                    // Flushing at every pause would finalise a new voice before it is heard enough
                    // to be told apart; only a lull (nobody speaks on) is worth a flush.
                    t.idleFlushAtMs = now + settings.idleFlushMs();
                    t.idleFlushMediaMs = t.heardUpToMs;
                    ctx.timerService().registerProcessingTimeTimer(t.idleFlushAtMs);
                }
            }
            case TRACK_END -> {
                t.ended = true;
                if (t.session == null || t.session.broken()) {
                    out.collect(VoiceTurns.marker(VoiceTurns.Kind.ENDED, e, Long.MAX_VALUE, ""));
                    clear(key);
                    return;
                }
                t.session.finish();
                // A diarizer that never answers the half-close must not keep the call (and a
                // fast drain timer) for the session's hours-long deadline: the transcript has
                // stopped waiting for it by then anyway.
                t.finishDueAtMs = now + settings.attributionWaitMs();
            }
        }
        housekeeping(key, t, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<VoiceTurns> out) throws Exception {
        drain(out);
        String key = ctx.getCurrentKey();
        Track t = tracks.get(key);
        if (t == null) {
            return;
        }
        if (t.idleFlushAtMs != 0 && timestamp >= t.idleFlushAtMs && t.session != null && !t.ended) {
            t.idleFlushAtMs = 0;
            send(key, t, new AudioPiece(0, t.idleFlushMediaMs, new byte[0], true));
        }
        housekeeping(key, t, ctx, out);
    }

    private void openSession(String key, Track t, TrackEvent e) {
        if (t.session != null) {
            t.session.cancel();
        }
        t.session = new DiarizationSession(UUID.randomUUID().toString().substring(0, 8), settings, e, withResults::add);
        t.failureHandled = false;
        try {
            t.session.open(channel);
        } catch (RuntimeException ex) {
            LOG.warn("diarization of {} could not start: {}", key, ex.toString());
        }
    }

    private void send(String key, Track t, AudioPiece p) {
        if (t.session.broken()) {
            return;
        }
        try {
            t.session.send(p);
        } catch (SessionStuckException ex) {
            // Waiting again at the next frame would stall every track of this subtask; diarization
            // is optional, so the session is given up (reported, backoff) and a new one tried later.
            t.session.abandon("stopped taking audio: " + ex.getMessage());
        } catch (RuntimeException ex) {
            LOG.warn("diarization of {} interrupted: {}", key, ex.toString());
        }
    }

    /** Backoff after a failure, close when done, keep the drain timer while answers may come. */
    private void housekeeping(String key, Track t, Context ctx, Collector<VoiceTurns> out) {
        DiarizationSession s = t.session;
        if (s == null) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (s.broken()) {
            handleFailure(key, t, now, out);
            if (t.ended) {
                out.collect(VoiceTurns.marker(VoiceTurns.Kind.ENDED, s.track(), Long.MAX_VALUE, ""));
                clear(key);
            }
            return;
        }
        if (t.finishDueAtMs != 0 && now >= t.finishDueAtMs && !s.finishedCleanly()) {
            s.abandon("did not end " + settings.attributionWaitMs() + " ms after its track ended");
            housekeeping(key, t, ctx, out); // reports it and ends the track's diarization
            return;
        }
        if (s.started()) {
            t.backoffMs = 200;
        }
        if (s.finishedCleanly()) {
            drain(out); // ENDED is queued by now
            clear(key);
            return;
        }
        // Turns and failures arrive on their own: collect them often while speech was sent
        // recently or an answer is due, and now and then otherwise.
        boolean due = s.awaitingResults() || now - t.lastAudioAtMs <= settings.latencyBudgetMs() + 2000;
        long step = due ? settings.drainIntervalMs() : IDLE_DRAIN_MS;
        ctx.timerService().registerProcessingTimeTimer((now / step + 1) * step);
    }

    /** Once per failed session: report it (its UNAVAILABLE), log it, set the backoff. */
    private void handleFailure(String key, Track t, long now, Collector<VoiceTurns> out) {
        DiarizationSession s = t.session;
        if (s == null || !s.broken() || t.failureHandled) {
            return;
        }
        t.failureHandled = true;
        drain(out); // its UNAVAILABLE is queued by now
        LOG.warn("Diarizer session of {} failed ({}); a new one opens at the next speech after {} ms",
                key, s.failure(), t.backoffMs);
        t.nextAttemptAtMs = now + t.backoffMs;
        t.backoffMs = Math.min(settings.maxBackoffMs(), t.backoffMs * 2);
    }

    /** Collects the queued turns of the sessions that have some. */
    private void drain(Collector<VoiceTurns> out) {
        ResultQueue.drainAll(withResults, out::collect);
    }

    private void clear(String key) {
        Track t = tracks.remove(key);
        if (t != null && t.session != null && !t.session.finishedCleanly()) {
            t.session.cancel();
        }
    }
}
