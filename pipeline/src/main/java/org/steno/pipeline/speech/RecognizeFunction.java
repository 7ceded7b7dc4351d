package org.steno.pipeline.speech;

import org.steno.access.ServiceToken;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speech recognition per track: ONE long-lived {@code StreamingRecognize} session per active
 * track (not one call per record). The gRPC channel is opened in {@link #open} and closed in
 * {@link #close}. Audio not yet confirmed final stays in keyed state, so a session that
 * breaks (the model server restarts) is reopened with exponential backoff and the audio is
 * sent again, and a job restored from a checkpoint re-recognises exactly the segments whose
 * results were not final. A segment's end sends a Flush; a track's end half-closes the call.
 *
 * <p>Results arrive on gRPC threads; they are collected on the task thread whenever any
 * element or timer runs. While this subtask has live sessions, ONE processing-time timer
 * (not one per track) fires every {@code drainIntervalMs} to collect them when no element
 * comes; per-track upkeep (pruning confirmed audio, closing, noticing a stuck session) runs
 * on each element of the track and on a coarser per-track timer ({@link #HOUSEKEEPING_MS}).
 * A per-track 5 ms timer was the job's largest cost at 500 tracks (100k timers/s). Each
 * result is emitted on the subtask that owns its key, so the output stays partitioned like
 * the input.
 */
public final class RecognizeFunction extends KeyedProcessFunction<String, TrackEvent, Recognition> {

    private static final Logger LOG = LoggerFactory.getLogger(RecognizeFunction.class);
    /** Reconnects tried after a track's end before it is closed without the model. */
    static final int MAX_ATTEMPTS_AFTER_END = 3;
    /** Grid of the per-track upkeep timer; results do not wait for it (the subtask-wide drain timer collects them). */
    static final long HOUSEKEEPING_MS = 100;

    private final RecognizerSettings settings;
    private transient ManagedChannel channel;
    private transient Map<String, Track> tracks;
    private transient ListState<AudioPiece> unconfirmed;
    private transient ValueState<TrackEvent> lastEvent;
    private transient ValueState<Boolean> ended;
    private transient int sessionCounter;
    private transient java.util.concurrent.ConcurrentLinkedQueue<RecognitionSession> withResults;
    private transient ValueState<Long> unconfirmedMs;
    /** When the subtask-wide drain timer fires next (0: none pending); not state, a restore starts it again. */
    private transient long drainTimerAt;

    /** Live (non-checkpointed) bookkeeping of one track on this subtask. */
    private static final class Track {
        RecognitionSession session;
        long backoffMs = 200;
        long nextAttemptAtMs;
        long prunedUpTo = Long.MIN_VALUE;
        int failuresAfterEnd;
    }

    private final ServiceToken token;

    public RecognizeFunction(RecognizerSettings settings) {
        this(settings, null);
    }

    /** @param token presented to the model server; null where it asks for none */
    public RecognizeFunction(RecognizerSettings settings, ServiceToken token) {
        this.settings = settings;
        this.token = token;
    }

    @Override
    public void open(OpenContext ctx) {
        channel = ModelChannel.open(settings.target(), token);
        tracks = new HashMap<>();
        withResults = new java.util.concurrent.ConcurrentLinkedQueue<>();
        unconfirmedMs = getRuntimeContext().getState(new ValueStateDescriptor<>("unconfirmed-ms", Long.class));
        unconfirmed = getRuntimeContext().getListState(new ListStateDescriptor<>("unconfirmed", AudioPiece.class));
        lastEvent = getRuntimeContext().getState(new ValueStateDescriptor<>("last-event", TrackEvent.class));
        ended = getRuntimeContext().getState(new ValueStateDescriptor<>("ended", Boolean.class));
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
    public void processElement(TrackEvent e, Context ctx, Collector<Recognition> out) throws Exception {
        try {
            process(e, ctx, out);
        } finally {
            scheduleDrain(ctx);
        }
    }

    private void process(TrackEvent e, Context ctx, Collector<Recognition> out) throws Exception {
        drain(out);
        if (e.kind() == TrackEvent.Kind.GAP) {
            out.collect(gapRecord(e, e.mediaMs(), e.gapEndMs(), e.gapReason())); // audio MediaTap says will never come
            return;
        }
        String key = ctx.getCurrentKey();
        Track t = tracks.computeIfAbsent(key, k -> new Track());
        lastEvent.update(e.withoutAudio());
        switch (e.kind()) {
            case AUDIO -> {
                AudioPiece p = new AudioPiece(e.segmentStartMs(), e.mediaMs(), e.pcm(), false);
                unconfirmed.add(p);
                boundUnconfirmed(key, p.durationMs(), e, out);
                sendOrRecover(key, t, p, e);
            }
            case SEGMENT_END -> {
                AudioPiece p = new AudioPiece(e.segmentStartMs(), e.mediaMs(), new byte[0], true);
                unconfirmed.add(p);
                if (t.session != null) {
                    sendOrRecover(key, t, p, e);
                }
            }
            case TRACK_END -> {
                ended.update(true);
                if (t.session == null && !unconfirmed.get().iterator().hasNext()) {
                    out.collect(closedRecord(e));
                    clearTrack(key);
                    return;
                }
                if (t.session == null) {
                    reopen(key, t, e);
                }
                if (t.session != null) {
                    t.session.finish(e);
                }
            }
        }
        housekeeping(key, t, ctx, out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Recognition> out) throws Exception {
        try {
            timer(timestamp, ctx, out);
        } finally {
            scheduleDrain(ctx);
        }
    }

    private void timer(long timestamp, Context ctx, Collector<Recognition> out) throws Exception {
        drain(out);
        String key = ctx.getCurrentKey();
        if (timestamp == drainTimerAt) {
            drainTimerAt = 0;
        }
        Track t = tracks.get(key);
        TrackEvent last = lastEvent.value();
        if (t == null && last == null) {
            // The drain timer rode on a track that has closed since: nothing to look after here.
            return;
        }
        if (t == null) {
            t = new Track();
            tracks.put(key, t);
        }
        if (t.session == null && last != null && (unconfirmed.get().iterator().hasNext() || Boolean.TRUE.equals(ended.value()))) {
            // After a restore: the checkpoint holds audio whose results were never confirmed.
            reopen(key, t, last);
            if (t.session != null && Boolean.TRUE.equals(ended.value())) {
                t.session.finish(last);
            }
        }
        housekeeping(key, t, ctx, out);
    }

    /** Sends a piece on the track's session, opening or reopening it as needed. */
    private void sendOrRecover(String key, Track t, AudioPiece p, TrackEvent meta) {
        if (t.session == null) {
            reopen(key, t, meta); // replays every unconfirmed piece, including p
            return;
        }
        if (t.session.broken()) {
            return; // housekeeping reopens it when the backoff allows; p is in state meanwhile
        }
        try {
            t.session.send(p, meta);
        } catch (SessionStuckException ex) {
            LOG.warn("recognition of {} interrupted: {}", key, ex.getMessage());
        } catch (RuntimeException ex) {
            // gRPC refuses a message on a call it already ended: the session is done, not the job.
            LOG.warn("recognition of {} interrupted: {}", key, ex.toString());
        }
    }

    /** Opens a new session and sends it every unconfirmed piece, in order. */
    private void reopen(String key, Track t, TrackEvent meta) {
        if (t.session != null) {
            t.session.cancel();
        }
        RecognitionSession s = new RecognitionSession(key + "/" + (++sessionCounter), settings, meta, withResults::add);
        t.session = s;
        t.prunedUpTo = Long.MIN_VALUE;
        try {
            s.open(channel);
            // Everything is pending at once here: contiguous audio of a segment goes in
            // messages of up to 100 ms rather than one per stored piece.
            for (AudioPiece p : AudioPieces.merged(unconfirmed.get(), AudioCoalescer.DEFAULT_MAX_MS)) {
                s.send(p, null);
            }
        } catch (SessionStuckException ex) {
            LOG.warn("recognition of {} could not resume: {}", key, ex.getMessage());
        } catch (Exception ex) {
            LOG.warn("recognition of {} could not resume: {}", key, ex.toString());
        }
    }

    /** Per-key upkeep: reconnect with backoff, prune confirmed audio, close, keep the drain timer. */
    private void housekeeping(String key, Track t, Context ctx, Collector<Recognition> out) throws Exception {
        RecognitionSession s = t.session;
        long now = ctx.timerService().currentProcessingTime();
        if (s != null && s.broken() && Boolean.TRUE.equals(ended.value()) && t.nextAttemptAtMs == 0
                && ++t.failuresAfterEnd > MAX_ATTEMPTS_AFTER_END) {
            // The track is over and the model keeps failing: close it rather than hold the
            // meeting's transcript back forever; what was final is kept, the rest is reported.
            LOG.error("track {} ended but the Transcriber failed {} times ({}); closing it without its last {} ms of audio",
                    key, MAX_ATTEMPTS_AFTER_END, s.failure(), unconfirmedMs.value());
            long from = Long.MAX_VALUE;
            long to = Long.MIN_VALUE;
            for (AudioPiece p : unconfirmed.get()) {
                from = Math.min(from, p.mediaMs());
                to = Math.max(to, p.mediaMs() + p.durationMs());
            }
            if (from < to) {
                out.collect(gapRecord(lastEvent.value(), from, to, "the Transcriber failed (" + s.failure() + ")"));
            }
            out.collect(s.closedRecord());
            clearTrack(key);
            return;
        }
        if (s != null && s.broken()) {
            if (t.nextAttemptAtMs == 0) {
                LOG.warn("Transcriber session {} failed ({}); reconnecting in {} ms", key, s.failure(), t.backoffMs);
                t.nextAttemptAtMs = now + t.backoffMs;
                t.backoffMs = Math.min(settings.maxBackoffMs(), t.backoffMs * 2);
            } else if (now >= t.nextAttemptAtMs) {
                t.nextAttemptAtMs = 0;
                reopen(key, t, lastEvent.value());
                if (t.session != null && Boolean.TRUE.equals(ended.value())) {
                    t.session.finish(lastEvent.value());
                }
            }
        } else if (s != null && s.started()) {
            t.backoffMs = 200;
            t.nextAttemptAtMs = 0;
        }
        s = t.session;
        if (s != null && s.confirmedSegmentStart() > t.prunedUpTo) {
            long upTo = s.confirmedSegmentStart();
            List<AudioPiece> keep = new ArrayList<>();
            long keptMs = 0;
            for (AudioPiece p : unconfirmed.get()) {
                if (p.segmentStartMs() > upTo) {
                    keep.add(p);
                    keptMs += p.durationMs();
                }
            }
            unconfirmed.update(keep);
            unconfirmedMs.update(keptMs);
            t.prunedUpTo = upTo;
        }
        if (s != null && s.finishedCleanly() && !s.hasQueued()) {
            out.collect(s.closedRecord());
            clearTrack(key);
            return;
        }
        if (s != null && s.broken() && t.nextAttemptAtMs > 0) {
            ctx.timerService().registerProcessingTimeTimer(t.nextAttemptAtMs);
        } else if (s != null && (s.awaitingResults() || s.broken() || s.hasQueued())) {
            // Timestamps on a grid, so Flink keeps one timer per key and step, however often we ask.
            ctx.timerService().registerProcessingTimeTimer((now / HOUSEKEEPING_MS + 1) * HOUSEKEEPING_MS);
        }
    }

    /**
     * Keeps one fast timer pending for the whole subtask while it has live sessions. It is
     * registered under whichever key is current (a timer needs one); when it fires it collects
     * every session's results, whatever its key.
     */
    private void scheduleDrain(Context ctx) {
        if (tracks.isEmpty()) {
            return;
        }
        long now = ctx.timerService().currentProcessingTime();
        if (drainTimerAt > now) {
            return;
        }
        long step = settings.drainIntervalMs();
        drainTimerAt = (now / step + 1) * step;
        ctx.timerService().registerProcessingTimeTimer(drainTimerAt);
    }

    /** Collects the queued results of the sessions that have some (not a scan of every track). */
    private void drain(Collector<Recognition> out) {
        ResultQueue.drainAll(withResults, out::collect);
    }

    /** Drops the oldest unconfirmed audio beyond the cap (the model server is down too long), and says so. */
    private void boundUnconfirmed(String key, long addedMs, TrackEvent e, Collector<Recognition> out) throws Exception {
        Long known = unconfirmedMs.value();
        long running = (known == null ? 0 : known) + addedMs;
        if (running <= settings.maxUnconfirmedMs()) {
            unconfirmedMs.update(running); // O(1) per frame; the list is walked only past the cap
            return;
        }
        long total = 0;
        List<AudioPiece> all = new ArrayList<>();
        for (AudioPiece p : unconfirmed.get()) {
            all.add(p);
            total += p.durationMs();
        }
        if (total <= settings.maxUnconfirmedMs()) {
            unconfirmedMs.update(total);
            return;
        }
        Iterator<AudioPiece> it = all.iterator();
        long dropped = 0;
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        while (total > settings.maxUnconfirmedMs() && it.hasNext()) {
            AudioPiece p = it.next();
            total -= p.durationMs();
            dropped += p.durationMs();
            from = Math.min(from, p.mediaMs());
            to = Math.max(to, p.mediaMs() + p.durationMs());
            it.remove();
        }
        if (from < to) {
            out.collect(gapRecord(e, from, to, "the Transcriber was unavailable for longer than "
                    + settings.maxUnconfirmedMs() / 1000 + " s of speech"));
        }
        LOG.warn("track {}: recogniser has not confirmed {} ms of audio; dropped the oldest {} ms", key,
                settings.maxUnconfirmedMs(), dropped);
        unconfirmed.update(all);
        unconfirmedMs.update(total);
    }

    private void clearTrack(String key) {
        Track t = tracks.remove(key);
        if (t != null && t.session != null) {
            t.session.cancel();
        }
        unconfirmed.clear();
        unconfirmedMs.clear();
        lastEvent.clear();
        ended.clear();
    }

    private static Recognition gapRecord(TrackEvent e, long fromMs, long toMs, String why) {
        return new Recognition(Recognition.Kind.GAP, e.meetingId(), e.transcriptId(), e.trackId(), e.participantId(),
                e.speakerIdentity(), e.speakerName(), e.language(), fromMs, 0, 0, true, 1f, why, new Word[0], fromMs, toMs,
                false, new String[0], e.meeting(), System.currentTimeMillis(), e.sharedMicrophone());
    }

    private static Recognition closedRecord(TrackEvent e) {
        return new Recognition(Recognition.Kind.TRACK_CLOSED, e.meetingId(), e.transcriptId(), e.trackId(),
                e.participantId(), e.speakerIdentity(), e.speakerName(), e.language(), e.mediaMs(), 0, 0, true, 1f, "",
                new Word[0], e.mediaMs(), e.mediaMs(), e.meetingEnd(), e.meetingTracks(), e.meeting(),
                System.currentTimeMillis(), e.sharedMicrophone());
    }
}
