package org.steno.recorder;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.mix.AudioMixer;
import org.steno.recorder.mix.PcmSink;
import org.steno.recorder.store.DiskFullException;
import org.steno.recorder.store.Json;
import org.steno.recorder.store.Keys;
import org.steno.recorder.store.RecordingRecord;
import org.steno.recorder.store.SegmentRecord;
import org.steno.recorder.store.SegmentSpool;
import org.steno.recorder.track.OpusTrackWriter;
import org.steno.recorder.track.SegmentedOggWriter;
import org.steno.recorder.track.TrackIdentity;
import org.steno.recorder.track.TrackStats;
import org.steno.recorder.track.TrackWriter;
import org.steno.recorder.track.Vp8TrackWriter;

/**
 * One recording of one meeting. The media plane's calls are queued and handled on the session's
 * own thread, in order, so writers need no locks and the SFU never waits on a disk. Any failure
 * to write stops the recording with a reason the host is told; bad media is counted and dropped.
 */
public final class RecordingSession implements RecordingInput {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingSession.class);

    private final String meetingId;
    private final String recordingId;
    private final String prefix;
    private final RecorderSettings settings;
    private final SegmentSpool spool;
    private final RecorderEvents events;
    private final ThreadPoolExecutor thread;
    private final Map<String, TrackWriter> active = new LinkedHashMap<>();
    private final List<TrackWriter> ended = new ArrayList<>();
    private final Map<String, ParticipantRecord> participants = new LinkedHashMap<>();
    private final AtomicLong droppedEvents = new AtomicLong();
    private final AudioMixer mixer;
    private long startMediaMicros;
    private long latestMediaMicros = Long.MIN_VALUE;
    private long unknownTrackPackets;
    private volatile boolean running = true;
    private volatile RecorderEvents.StopReason stopReason;
    private volatile String stopMessage = "";
    private volatile long threadCpuNanos = -1;

    RecordingSession(String meetingId, String recordingId, long startMediaMicros, RecorderSettings settings,
                     SegmentSpool spool, RecorderEvents events) throws IOException {
        this.meetingId = meetingId;
        this.recordingId = recordingId;
        this.prefix = Keys.recording(meetingId, recordingId);
        this.startMediaMicros = startMediaMicros;
        this.settings = settings;
        this.spool = spool;
        this.events = events;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                    Thread t = new Thread(r, "recorder-" + Keys.safe(meetingId));
                    t.setDaemon(true);
                    return t;
                });
        spool.putSmall(prefix + "recording.json", Json.write(new RecordingRecord(meetingId, recordingId,
                Instant.now().toString(), startMediaMicros, settings.segmentMillis())));
        if (settings.mix()) {
            TrackIdentity mixId = new TrackIdentity(meetingId, recordingId, SegmentRecord.MIXED, "", "everyone",
                    "mixed", "opus", Keys.mixedDir(prefix), "");
            mixer = new AudioMixer(new SegmentedOggWriter(spool, mixId, settings.segmentMillis()), settings.mixBitrate());
        } else {
            mixer = null;
        }
    }

    // ---- RecordingInput: queue and return ----

    @Override
    public void trackStarted(String participantId, String displayName, String trackId, Kind kind, Source source,
                             String codec, int clockRate, long mediaTimeMicros) {
        submit(() -> onTrackStarted(participantId, displayName, trackId, kind, source, codec, clockRate, mediaTimeMicros));
    }

    @Override
    public void packet(String trackId, long ssrc, int sequenceNumber, long rtpTimestamp, boolean marker,
                       byte[] payload, long mediaTimeMicros) {
        if (payload == null) {
            return;
        }
        byte[] copy = payload.clone();
        submit(() -> onPacket(trackId, ssrc, sequenceNumber, rtpTimestamp, marker, copy, mediaTimeMicros));
    }

    @Override
    public void trackMuted(String trackId, long mediaTimeMicros) {
        submit(() -> onMute(trackId, true, mediaTimeMicros));
    }

    @Override
    public void trackUnmuted(String trackId, long mediaTimeMicros) {
        submit(() -> onMute(trackId, false, mediaTimeMicros));
    }

    @Override
    public void trackEnded(String trackId, long mediaTimeMicros) {
        submit(() -> onTrackEnded(trackId, mediaTimeMicros));
    }

    @Override
    public void participantLeft(String participantId, long mediaTimeMicros) {
        submit(() -> onParticipantLeft(participantId, mediaTimeMicros));
    }

    private interface Work {
        void run() throws IOException;
    }

    private void submit(Work work) {
        if (!running) {
            return;
        }
        try {
            thread.execute(() -> runSafely(work));
        } catch (RejectedExecutionException e) {
            // The recorder cannot keep up (or is stopping): losing media is better than stalling the SFU.
            if (droppedEvents.incrementAndGet() % 1000 == 1) {
                LOG.warn("recording {} of meeting {} is behind; {} media events dropped", recordingId, meetingId,
                        droppedEvents.get());
            }
        }
    }

    private void runSafely(Work work) {
        if (!running) {
            return;
        }
        try {
            work.run();
        } catch (DiskFullException e) {
            fail(RecorderEvents.StopReason.DISK_FULL, "The recording stopped: " + e.getMessage() + ".");
        } catch (IOException e) {
            fail(RecorderEvents.StopReason.WRITE_FAILED, "The recording stopped: it could not be written ("
                    + e.getMessage() + ").");
        } catch (RuntimeException e) {
            // Bad input must never kill the recording thread.
            LOG.debug("recording {}: bad media event ignored", recordingId, e);
        }
    }

    // ---- on the session thread ----

    private long anchor(long mediaTimeMicros) {
        if (startMediaMicros < 0) {
            startMediaMicros = mediaTimeMicros;
        }
        return startMediaMicros;
    }

    /** Where a media time falls on the recording's time line; 0 before the time line is anchored. */
    private long timelineMillis(long mediaTimeMicros) {
        return startMediaMicros < 0 ? 0 : Math.max(0, (mediaTimeMicros - startMediaMicros) / 1000);
    }

    private void onTrackStarted(String participantId, String displayName, String trackId, Kind kind, Source source,
                                String codec, int clockRate, long mediaTimeMicros) {
        if (trackId == null || participantId == null || kind == null || codec == null) {
            return;
        }
        String carries = (source != null ? source : kind == Kind.AUDIO ? Source.MICROPHONE : Source.CAMERA).manifestName();
        if (active.containsKey(trackId) || ended.stream().anyMatch(w -> w.identity().trackId().equals(trackId))) {
            LOG.debug("recording {}: track {} announced twice; the first one stands", recordingId, trackId);
            return;
        }
        // Tracks announced before the recording started (a replay on attach) carry their old publication
        // time: the time line is anchored by the first packet when the taps gave no clock.
        java.util.function.LongSupplier start = () -> startMediaMicros;
        String name = displayName == null || displayName.isBlank() ? participantId : displayName;
        ParticipantRecord p = participants.get(participantId);
        if (p == null || p.leftMs() >= 0) {
            // First track, or a rejoin: the participant is (back) in the meeting.
            long joined = p == null ? timelineMillis(mediaTimeMicros) : p.joinedMs();
            participants.put(participantId, new ParticipantRecord(participantId, name, joined, -1));
        }
        String dir = Keys.trackDir(prefix, participantId, trackId);
        TrackWriter w;
        if (kind == Kind.AUDIO && codec.equalsIgnoreCase("opus")) {
            TrackIdentity id = new TrackIdentity(meetingId, recordingId, SegmentRecord.AUDIO, participantId, name,
                    trackId, "opus", dir, carries);
            w = new OpusTrackWriter(id, spool, settings.segmentMillis(), start, mixer == null ? PcmSink.NONE : mixer);
        } else if (kind == Kind.VIDEO && codec.equalsIgnoreCase("VP8")) {
            TrackIdentity id = new TrackIdentity(meetingId, recordingId, SegmentRecord.VIDEO, participantId, name,
                    trackId, "vp8", dir, carries);
            w = new Vp8TrackWriter(id, spool, settings.segmentMillis(), start,
                    t -> events.keyframeNeeded(meetingId, t));
        } else {
            LOG.warn("recording {}: track {} uses {} {}, which the recorder does not record", recordingId, trackId,
                    kind, codec);
            return;
        }
        active.put(trackId, w);
    }

    private void onPacket(String trackId, long ssrc, int seq, long ts, boolean marker, byte[] payload, long media)
            throws IOException {
        TrackWriter w = active.get(trackId);
        if (w == null) {
            unknownTrackPackets++;
            return;
        }
        anchor(media);
        if (media < startMediaMicros) {
            return; // sent before the recording started
        }
        w.packet(unsigned32(ssrc), seq & 0xffff, ts & 0xffffffffL, marker, payload, media);
        advanceMix(media);
    }

    private static long unsigned32(long ssrc) {
        return ssrc & 0xffffffffL;
    }

    private void advanceMix(long media) throws IOException {
        if (media > latestMediaMicros) {
            latestMediaMicros = media;
            if (mixer != null) {
                long watermark = (media - startMediaMicros - settings.mixLatencyMillis() * 1000) * 48 / 1000;
                mixer.advanceTo(watermark);
            }
        }
    }

    private void onMute(String trackId, boolean muted, long media) {
        TrackWriter w = active.get(trackId);
        if (w != null) {
            w.muted(muted, media);
        }
    }

    private void onTrackEnded(String trackId, long media) throws IOException {
        TrackWriter w = active.remove(trackId);
        if (w != null) {
            w.end(Math.max(media, startMediaMicros), startMediaMicros);
            ended.add(w);
            logStats(w);
        }
    }

    private void onParticipantLeft(String participantId, long media) throws IOException {
        for (String trackId : new ArrayList<>(active.keySet())) {
            if (active.get(trackId).identity().participantId().equals(participantId)) {
                onTrackEnded(trackId, media);
            }
        }
        ParticipantRecord p = participants.get(participantId);
        if (p != null) {
            participants.put(participantId, new ParticipantRecord(p.participantId(), p.displayName(), p.joinedMs(),
                    timelineMillis(media)));
        }
    }

    private void logStats(TrackWriter w) {
        TrackStats s = w.stats();
        LOG.info("recording {}: track {} ended: {} packets, {} written, {} late, {} corrupt, {} resyncs, {} frames dropped",
                recordingId, w.identity().trackId(), s.packets(), s.written(), s.late(), s.corrupt(), s.resyncs(),
                s.framesDropped());
    }

    /** Ends every track, commits the last segments; returns the recording's end on its time line (ms). */
    private long closeAll(long endMedia) throws IOException {
        long end = Math.max(endMedia, startMediaMicros < 0 ? 0 : startMediaMicros);
        for (String trackId : new ArrayList<>(active.keySet())) {
            onTrackEnded(trackId, end);
        }
        if (mixer != null) {
            mixer.finish((end - startMediaMicros) * 48 / 1000);
        }
        return Math.max(0, (end - startMediaMicros) / 1000);
    }

    private void fail(RecorderEvents.StopReason reason, String message) {
        if (!running) {
            return;
        }
        running = false;
        stopReason = reason;
        stopMessage = message;
        LOG.error("recording {} of meeting {}: {}", recordingId, meetingId, message);
        for (TrackWriter w : active.values()) {
            w.abandon();
        }
        active.clear();
        if (mixer != null) {
            mixer.abandon();
        }
        events.recordingStopped(meetingId, recordingId, reason, message);
    }

    /**
     * Stops the recording: queued media is written, every file's last segment committed.
     * {@code endMediaMicros} &lt; 0 ends at the newest media time seen.
     *
     * @return the recording's length in ms (what the manifest says), done when everything is in the spool
     */
    CompletableFuture<Long> stop(long endMediaMicros, RecorderEvents.StopReason reason) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        Runnable finish = () -> {
            try {
                if (running) {
                    running = false;
                    stopReason = reason;
                    long endMedia = endMediaMicros >= 0 ? endMediaMicros
                            : latestMediaMicros == Long.MIN_VALUE ? Math.max(startMediaMicros, 0) : latestMediaMicros;
                    long length = closeAll(endMedia);
                    threadCpuNanos = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                    done.complete(length);
                    events.recordingStopped(meetingId, recordingId, reason, "");
                } else {
                    done.complete(latestMediaMicros == Long.MIN_VALUE ? 0 : (latestMediaMicros - startMediaMicros) / 1000);
                }
            } catch (IOException | RuntimeException e) {
                fail(RecorderEvents.StopReason.WRITE_FAILED, "The recording could not be completed: " + e.getMessage());
                done.complete(latestMediaMicros == Long.MIN_VALUE ? 0 : (latestMediaMicros - startMediaMicros) / 1000);
            }
        };
        try {
            // The stop waits behind queued media, however full the queue is.
            thread.getQueue().put(finish);
            if (thread.getPoolSize() == 0) {
                thread.prestartCoreThread();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done.complete(0L);
        }
        return done.whenComplete((v, e) -> thread.shutdown());
    }

    /** Participants with join and leave times (leave -1 while present). */
    List<ParticipantRecord> participants() {
        return new ArrayList<>(participants.values());
    }

    public String meetingId() {
        return meetingId;
    }

    public String recordingId() {
        return recordingId;
    }

    public String prefix() {
        return prefix;
    }

    public boolean running() {
        return running;
    }

    public RecordingStatus status() {
        return new RecordingStatus(meetingId, recordingId, running, stopMessage);
    }

    RecorderEvents.StopReason stopReason() {
        return stopReason;
    }

    String stopMessage() {
        return stopMessage;
    }

    /** CPU time the session's thread used over its whole life; -1 until it stopped normally. */
    public long threadCpuNanos() {
        return threadCpuNanos;
    }

    /** Media events dropped because the queue was full. */
    public long droppedEvents() {
        return droppedEvents.get();
    }
}
