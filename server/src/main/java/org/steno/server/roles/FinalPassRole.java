package org.steno.server.roles;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.models.whisperx.WhisperXClient;
import org.steno.models.whisperx.WhisperXSettings;
import org.steno.pipeline.batch.FinalTranscriptPass;
import org.steno.recorder.RecorderEvents;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.storage.S3Storage;

/**
 * The post-meeting pass of a process that records ({@code models.batch.engine=whisperx}): each
 * finalized recording's microphone tracks go to WhisperX, one recording at a time, and the result
 * is stored as the meeting's {@code final-<recording>} transcript beside the live one. When the
 * meeting ended with captions on (known only where the SFU runs in this process), the pass first waits (up to {@link #LIVE_WAIT}) for the live transcript,
 * whose time line, speakers' identities and shared microphones it follows.
 */
final class FinalPassRole implements Component, RecorderEvents {

    private static final Logger LOG = LoggerFactory.getLogger(FinalPassRole.class);
    static final Duration LIVE_WAIT = Duration.ofMinutes(2);

    private final WhisperXClient whisperx;
    private final Supplier<S3Storage> storage;
    /** When the meeting's captions began, if its live transcript is still owed: the pass waits for it. */
    private final Function<String, Optional<Instant>> liveTranscriptOwed;
    private final Clock clock;
    private volatile ExecutorService worker;
    private volatile String last = "no recording finalized yet";

    FinalPassRole(WhisperXSettings settings, Supplier<S3Storage> storage, Function<String, Optional<Instant>> liveTranscriptOwed, Clock clock) {
        this.whisperx = new WhisperXClient(settings);
        this.storage = storage;
        this.liveTranscriptOwed = liveTranscriptOwed;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "final-transcripts";
    }

    @Override
    public void start() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "final-transcript-pass");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void recordingFinalized(String meetingId, String recordingId, String manifestKey) {
        ExecutorService w = worker;
        if (w == null) {
            return;
        }
        try {
            w.execute(() -> runQuietly(meetingId, recordingId));
        } catch (RejectedExecutionException stopping) {
            LOG.warn("meeting {}: recording {} finalized while stopping: no final transcript", meetingId, recordingId);
        }
    }

    private void runQuietly(String meetingId, String recordingId) {
        try {
            awaitLiveTranscript(meetingId);
            FinalTranscriptPass.Result r = pass().run(meetingId, recordingId);
            // /readyz is public: counts and times only, never a meeting id or an error's text (the log has them).
            last = "last at " + clock.instant() + ": " + r.segments() + " segments, " + r.gaps() + " gaps";
        } catch (IOException | RuntimeException e) {
            // The live transcript stays the meeting's; the operator reads why in the log.
            LOG.warn("meeting {}: no final transcript for recording {}: {}", meetingId, recordingId, e.toString());
            last = "last failed at " + clock.instant() + " (" + e.getClass().getSimpleName() + "; see the log)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitLiveTranscript(String meetingId) throws InterruptedException {
        Optional<Instant> since = liveTranscriptOwed.apply(meetingId);
        if (since.isEmpty()) {
            return;
        }
        S3Storage s = storage.get();
        String prefix = "meetings/" + meetingId + "/transcripts/";
        Instant deadline = clock.instant().plus(LIVE_WAIT);
        while (clock.instant().isBefore(deadline)) {
            boolean written = s.client().listObjectsV2Paginator(r -> r.bucket(s.target().bucket()).prefix(prefix)).contents().stream()
                    .anyMatch(o -> o.key().endsWith("/transcript.json") && !o.key().startsWith(prefix + FinalTranscriptPass.PREFIX)
                            && !o.lastModified().isBefore(since.get().minusSeconds(5)));
            if (written) {
                return;
            }
            Thread.sleep(500); // the pipeline writes it within seconds of the end (MeetingOutputs: 30 s)
        }
        LOG.warn("meeting {}: its live transcript is not in the bucket {} s after the recording; the final pass goes without it",
                meetingId, LIVE_WAIT.toSeconds());
    }

    private FinalTranscriptPass pass() {
        S3Storage s = storage.get();
        return new FinalTranscriptPass(s::client, s.target().bucket(), new WhisperXTracks(whisperx), clock);
    }

    @Override
    public void stop() {
        ExecutorService w = worker;
        worker = null;
        if (w != null) {
            int dropped = w.shutdownNow().size();
            if (dropped > 0) {
                LOG.warn("stopping: {} finalized recording(s) left without a final transcript; run steno transcribe --meeting for them",
                        dropped);
            }
        }
    }

    @Override
    public Readiness readiness() {
        return worker == null ? Readiness.notReady("not started")
                : Readiness.ready("WhisperX at " + whisperx.settings().endpoint() + "; " + last);
    }
}
