package org.steno.recorder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.recorder.finalize.Finalizer;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.store.DiskGuard;
import org.steno.recorder.store.Keys;
import org.steno.recorder.store.ObjectStore;
import org.steno.recorder.store.SegmentSpool;
import org.steno.recorder.store.SpoolUploader;

/**
 * The recorder service: runs the recordings of this process, uploads their segments, finalizes
 * them when they stop, and on start (and every minute) finalizes recordings that a crashed
 * recorder left without a manifest.
 *
 * <p>Data: {@code <dataDir>/spool} holds segments until storage has them;
 * {@code <dataDir>/recorder-work} is scratch space for finalizing.
 */
public final class Recorder implements RecordingControl, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Recorder.class);

    private final ObjectStore store;
    private final RecorderSettings settings;
    private final RecordingTaps taps;
    private final RecorderEvents events;
    private final SpoolUploader uploader;
    private final DiskGuard disk;
    private final SegmentSpool spool;
    private final Finalizer finalizer;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final Set<String> finalizing = ConcurrentHashMap.newKeySet();
    private final Map<String, RecordingStatus> lastStopped = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService background;
    private volatile boolean started;

    private record Active(RecordingSession session, AutoCloseable tap) {
    }

    public Recorder(ObjectStore store, Path dataDir, RecorderSettings settings, RecordingTaps taps,
                    RecorderEvents events) {
        this(store, dataDir, settings, taps, events, null);
    }

    /** With a probe of free disk bytes instead of the file system's (to test a full disk). */
    Recorder(ObjectStore store, Path dataDir, RecorderSettings settings, RecordingTaps taps, RecorderEvents events,
             java.util.function.LongSupplier freeSpaceProbe) {
        this.store = store;
        this.settings = settings;
        this.taps = taps;
        this.events = events;
        Path spoolDir = dataDir.resolve("spool");
        this.uploader = new SpoolUploader(store, spoolDir, settings.maxUploadBackoff());
        this.disk = new DiskGuard(dataDir, settings.minFreeBytes(), freeSpaceProbe);
        this.spool = new SegmentSpool(uploader, disk);
        this.finalizer = new Finalizer(store, dataDir.resolve("recorder-work"));
    }

    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        Files.createDirectories(disk.dir());
        uploader.start();
        var bg = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "recorder-finalize");
            t.setDaemon(true);
            return t;
        });
        // On close only the running finalize is awaited; retries it schedules meanwhile are dropped.
        bg.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        background = bg;
        started = true;
        bg.scheduleWithFixedDelay(this::recoverSafely, 0, 60, TimeUnit.SECONDS);
    }

    // ---- RecordingControl ----

    @Override
    public RecordingStatus start(String meetingId) throws RecordingException {
        Active a = active.get(meetingId);
        if (a != null && a.session.running()) {
            return a.session.status();
        }
        RecordingSession s = open(meetingId, taps.mediaTimeMicros(meetingId));
        try {
            AutoCloseable tap = taps.attach(meetingId, s);
            active.put(meetingId, new Active(s, tap));
        } catch (RecordingException e) {
            s.stop(-1, RecorderEvents.StopReason.REQUESTED);
            throw e;
        }
        return s.status();
    }

    /** Starts a recording fed directly (tests, the benchmark); its time line starts at {@code startMediaMicros}. */
    public RecordingSession startDirect(String meetingId, long startMediaMicros) throws RecordingException {
        RecordingSession s = open(meetingId, startMediaMicros);
        active.put(meetingId, new Active(s, () -> { }));
        return s;
    }

    private synchronized RecordingSession open(String meetingId, long startMediaMicros) throws RecordingException {
        if (!started) {
            throw new RecordingException("The recorder is not running.");
        }
        if (!disk.enoughSpace()) {
            throw new RecordingException("Recording cannot start: " + disk.message(disk.freeBytes()) + ".");
        }
        String recordingId = "rec-" + Instant.now().toString().replaceAll("[^0-9]", "").substring(0, 14) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
        RecorderEvents watcher = new RecorderEvents() {
            @Override
            public void recordingStopped(String m, String r, StopReason reason, String message) {
                events.recordingStopped(m, r, reason, message);
                if (reason != StopReason.REQUESTED && reason != StopReason.RECORDER_STOPPED) {
                    // A failed recording is finalized with what reached the spool.
                    Active a = active.remove(m);
                    if (a != null) {
                        lastStopped.put(m, a.session.status());
                        closeTap(a);
                        finalizeLater(a.session, a.session.stop(-1, reason), reason.name().toLowerCase());
                    }
                }
            }

            @Override
            public void keyframeNeeded(String m, String trackId) {
                events.keyframeNeeded(m, trackId);
            }
        };
        try {
            RecordingSession s = new RecordingSession(meetingId, recordingId, startMediaMicros, settings, spool, watcher);
            LOG.info("recording {} of meeting {} started", recordingId, meetingId);
            events.recordingStarted(meetingId, recordingId);
            return s;
        } catch (IOException e) {
            throw new RecordingException("Recording cannot start: " + e.getMessage() + ".", e);
        }
    }

    @Override
    public Optional<RecordingStatus> stop(String meetingId) {
        return Optional.ofNullable(stopAndFinalize(meetingId)).map(f -> lastStopped.get(meetingId));
    }

    /** Stops the meeting's recording; the future completes with the manifest once it is in storage. */
    public CompletableFuture<Manifest> stopAndFinalize(String meetingId) {
        Active a = active.remove(meetingId);
        if (a == null) {
            return null;
        }
        closeTap(a);
        CompletableFuture<Long> stopped = a.session.stop(-1, RecorderEvents.StopReason.REQUESTED);
        lastStopped.put(meetingId, new RecordingStatus(meetingId, a.session.recordingId(), false, ""));
        return finalizeLater(a.session, stopped, "requested");
    }

    private CompletableFuture<Manifest> finalizeLater(RecordingSession s, CompletableFuture<Long> stopped,
                                                      String reason) {
        CompletableFuture<Manifest> result = new CompletableFuture<>();
        stopped.whenComplete((durationMs, e) -> {
            ScheduledExecutorService bg = background;
            if (bg == null || bg.isShutdown()) {
                result.completeExceptionally(new IOException("recorder stopped before finalizing"));
                return;
            }
            finalizing.add(s.prefix());
            bg.execute(() -> finalizeWithRetry(s.prefix(),
                    new Finalizer.Known(durationMs, s.participants(), reason, false), result, 0));
        });
        return result;
    }

    private void finalizeWithRetry(String prefix, Finalizer.Known known, CompletableFuture<Manifest> result,
                                   int attempt) {
        ScheduledExecutorService bg = background;
        try {
            if (uploader.pending(prefix) > 0) {
                // Segments still wait for storage (an outage): look again shortly.
                bg.schedule(() -> finalizeWithRetry(prefix, known, result, attempt), 200, TimeUnit.MILLISECONDS);
                return;
            }
            Manifest m = finalizer.finalizeRecording(prefix, known);
            finalizing.remove(prefix);
            LOG.info("recording {} finalized: {} files, {} ms", m.recordingId(), m.files().size(), m.durationMs());
            events.recordingFinalized(m.meetingId(), m.recordingId(), prefix + "manifest.json");
            result.complete(m);
        } catch (IOException | RuntimeException e) {
            long delay = Math.min(settings.maxUploadBackoff().toMillis(), 250L << Math.min(attempt, 8));
            LOG.warn("finalizing {} failed ({}); retrying in {} ms", prefix, e.getMessage(), delay);
            if (bg != null && !bg.isShutdown()) {
                bg.schedule(() -> finalizeWithRetry(prefix, known, result, attempt + 1), delay, TimeUnit.MILLISECONDS);
            } else {
                result.completeExceptionally(e);
            }
        }
    }

    @Override
    public Optional<RecordingStatus> status(String meetingId) {
        Active a = active.get(meetingId);
        if (a != null) {
            return Optional.of(a.session.status());
        }
        return Optional.ofNullable(lastStopped.get(meetingId));
    }

    /** Finalizes recordings without a manifest that no recorder has touched for the recovery grace. */
    public synchronized List<Manifest> recover() throws IOException {
        Map<String, Instant> objects = store.listModified("meetings/");
        Map<String, Instant> latest = new java.util.TreeMap<>();
        Set<String> done = new java.util.HashSet<>();
        Map<String, List<String>> segments = new java.util.TreeMap<>();
        for (Map.Entry<String, Instant> e : objects.entrySet()) {
            String k = e.getKey();
            int at = k.indexOf("/recordings/");
            if (at < 0) {
                continue;
            }
            int end = k.indexOf('/', at + "/recordings/".length());
            if (end < 0) {
                continue;
            }
            String prefix = k.substring(0, end + 1);
            if (k.equals(prefix + "manifest.json")) {
                done.add(prefix);
            } else if (Keys.isSegment(k)) {
                segments.computeIfAbsent(prefix, p -> new ArrayList<>()).add(k);
            }
            latest.merge(prefix, e.getValue(), (a, b) -> a.isAfter(b) ? a : b);
        }
        Set<String> mine = ConcurrentHashMap.newKeySet();
        active.values().forEach(a -> mine.add(a.session.prefix()));
        mine.addAll(finalizing);
        List<Manifest> recovered = new ArrayList<>();
        Instant cutoff = Instant.now().minus(settings.recoveryGrace());
        for (Map.Entry<String, Instant> e : latest.entrySet()) {
            String prefix = e.getKey();
            if (done.contains(prefix) && !mine.contains(prefix) && segments.containsKey(prefix)) {
                deleteLeftoverSegments(prefix, segments.get(prefix));
                continue;
            }
            if (done.contains(prefix) || mine.contains(prefix) || e.getValue().isAfter(cutoff)
                    || uploader.pending(prefix) > 0 || !objects.containsKey(prefix + "recording.json")) {
                continue;
            }
            LOG.warn("recording {} has no manifest: a recorder stopped during it; finalizing from its segments", prefix);
            recovered.add(finalizer.finalizeRecording(prefix, Finalizer.Known.afterCrash()));
        }
        return recovered;
    }

    /**
     * A finalize that stopped between its manifest and its segment deletes (a failed call whose
     * request had in fact landed, a crash) leaves segments the manifest no longer needs: the
     * manifest is written after the files it lists, so they are safe to delete.
     */
    private void deleteLeftoverSegments(String prefix, List<String> keys) {
        LOG.info("recording {} is finalized but {} segment objects are left; deleting them", prefix, keys.size());
        for (String k : keys) {
            try {
                store.delete(k);
            } catch (IOException e) {
                // Not a reason to stop this pass: other recordings may wait for it. The next pass retries.
                LOG.warn("could not delete leftover segment {}: {}", k, e.getMessage());
            }
        }
    }

    private void recoverSafely() {
        try {
            recover();
        } catch (IOException | RuntimeException e) {
            LOG.warn("looking for unfinished recordings failed ({}); will look again", e.getMessage());
        }
    }

    public RecorderHealth health() {
        if (!started) {
            return new RecorderHealth(false, "not started");
        }
        long free = disk.freeBytes();
        String spoolState = uploader.pendingTotal() + " files waiting for storage"
                + (uploader.healthy() ? "" : " (storage unreachable: " + uploader.lastError() + ")");
        if (free < settings.minFreeBytes()) {
            return new RecorderHealth(false, disk.message(free) + "; " + spoolState);
        }
        return new RecorderHealth(true, active.size() + " recordings running; " + disk.describe() + "; " + spoolState);
    }

    public SpoolUploader uploader() {
        return uploader;
    }

    /** Stops recordings (their last segments are committed to the spool) and the upload thread. */
    @Override
    public void close() {
        List<CompletableFuture<Long>> stops = new ArrayList<>();
        for (String m : new ArrayList<>(active.keySet())) {
            Active a = active.remove(m);
            if (a != null) {
                closeTap(a);
                stops.add(a.session.stop(-1, RecorderEvents.StopReason.RECORDER_STOPPED));
            }
        }
        for (CompletableFuture<Long> f : stops) {
            try {
                f.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("a recording did not stop cleanly: {}", e.toString());
            }
        }
        ScheduledExecutorService bg = background;
        background = null;
        if (bg != null) {
            // A finalize in progress is let finish: cut between its manifest and its segment
            // deletes, it would leave the segments behind for good (the manifest marks it done).
            // Queued work (retries, the periodic look) is dropped as before: the next start recovers it.
            if (bg instanceof java.util.concurrent.ThreadPoolExecutor pool) {
                pool.getQueue().clear();
            }
            bg.shutdown();
            try {
                if (!bg.awaitTermination(10, TimeUnit.SECONDS)) {
                    bg.shutdownNow();
                }
            } catch (InterruptedException e) {
                bg.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        try {
            // Let what is spooled go out while storage answers; the rest waits for the next start.
            uploader.awaitUploaded("", Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        uploader.close();
        started = false;
    }

    private static void closeTap(Active a) {
        try {
            a.tap.close();
        } catch (Exception e) {
            LOG.debug("detaching the media tap failed: {}", e.toString());
        }
    }
}
