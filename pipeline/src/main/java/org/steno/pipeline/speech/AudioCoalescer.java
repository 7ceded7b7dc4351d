package org.steno.pipeline.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Merges 20 ms audio frames of a track that are ALREADY waiting behind each other into one
 * {@link TrackEvent} of up to {@code maxMs}, so a pipeline that has fallen behind pays its
 * per-record costs (serialisation, keyed state, a gRPC message) once per 100 ms rather than
 * once per 20 ms frame. It never waits for audio: the caller flushes as soon as nothing more
 * is queued, so a frame that arrives alone goes out alone and at once (no latency when the
 * pipeline keeps up).
 *
 * <p>Only 20 ms frames ({@link #FRAME_BYTES}) of one track, contiguous in media time, of the
 * same speech segment and the same speaker details are merged; anything else (a gap, another
 * track, a segment or track end, a frame of another size) first flushes what the track has
 * pending, so order per track is kept. A merged event can be cut back into exactly the frames
 * it was made of ({@link #frames}), which the segmenter does so that its decisions do not
 * depend on how much the reader happened to merge.
 */
public final class AudioCoalescer {

    /** One 20 ms frame of 16 kHz 16-bit mono audio. */
    public static final int FRAME_BYTES = 640;
    /** The longest merged event: the issue allows audio in 20–100 ms frames, never longer. */
    public static final long DEFAULT_MAX_MS = 100;

    private final int maxBytes;
    private final Consumer<TrackEvent> out;
    private final Map<String, Run> runs = new LinkedHashMap<>();

    /** Frames merged so far for one track. */
    private static final class Run {
        final List<TrackEvent> frames = new ArrayList<>(5);
        int bytes;

        long endMs() {
            TrackEvent last = frames.get(frames.size() - 1);
            return last.mediaMs() + last.durationMs();
        }
    }

    public AudioCoalescer(long maxMs, Consumer<TrackEvent> out) {
        if (maxMs < 20) {
            throw new IllegalArgumentException("maxMs must be at least one 20 ms frame, got " + maxMs);
        }
        this.maxBytes = (int) (maxMs / 20 * FRAME_BYTES);
        this.out = out;
    }

    /** Takes the next event of a track; emits what can no longer grow. */
    public void add(TrackEvent e) {
        String track = e.trackId();
        Run run = runs.get(track);
        if (run != null && !(mergeable(e) && continues(run, e))) {
            emit(runs.remove(track));
            run = null;
        }
        if (!mergeable(e)) {
            out.accept(e);
            return;
        }
        if (run == null) {
            run = new Run();
            runs.put(track, run);
        }
        run.frames.add(e);
        run.bytes += e.pcm().length;
        if (run.bytes + FRAME_BYTES > maxBytes) {
            emit(runs.remove(track));
        }
    }

    /** Emits everything pending (call when nothing more is queued, and before returning control). */
    public void flush() {
        if (runs.isEmpty()) {
            return;
        }
        for (Run r : runs.values()) {
            emit(r);
        }
        runs.clear();
    }

    private static boolean mergeable(TrackEvent e) {
        return e.kind() == TrackEvent.Kind.AUDIO && e.pcm() != null && e.pcm().length == FRAME_BYTES;
    }

    private boolean continues(Run run, TrackEvent e) {
        TrackEvent first = run.frames.get(0);
        return run.bytes + e.pcm().length <= maxBytes
                && e.mediaMs() == run.endMs()
                && e.segmentStartMs() == first.segmentStartMs()
                && e.meetingId().equals(first.meetingId())
                && e.transcriptId().equals(first.transcriptId())
                && Objects.equals(e.participantId(), first.participantId())
                && Objects.equals(e.speakerIdentity(), first.speakerIdentity())
                && Objects.equals(e.speakerName(), first.speakerName())
                && Objects.equals(e.language(), first.language())
                && Objects.equals(e.meeting(), first.meeting())
                && e.sharedMicrophone() == first.sharedMicrophone();
    }

    private void emit(Run r) {
        if (r.frames.size() == 1) {
            out.accept(r.frames.get(0));
            return;
        }
        byte[] pcm = new byte[r.bytes];
        int at = 0;
        for (TrackEvent f : r.frames) {
            System.arraycopy(f.pcm(), 0, pcm, at, f.pcm().length);
            at += f.pcm().length;
        }
        TrackEvent a = r.frames.get(0);
        out.accept(a.withAudio(a.mediaMs(), pcm));
    }

    /**
     * The 20 ms frames an audio event was merged from (the event itself when it is one frame,
     * or not a whole number of 20 ms frames).
     */
    public static List<TrackEvent> frames(TrackEvent e) {
        byte[] pcm = e.pcm();
        if (e.kind() != TrackEvent.Kind.AUDIO || pcm == null || pcm.length <= FRAME_BYTES || pcm.length % FRAME_BYTES != 0) {
            return List.of(e);
        }
        List<TrackEvent> frames = new ArrayList<>(pcm.length / FRAME_BYTES);
        for (int at = 0, i = 0; at < pcm.length; at += FRAME_BYTES, i++) {
            frames.add(e.withAudio(e.mediaMs() + 20L * i, Arrays.copyOfRange(pcm, at, at + FRAME_BYTES)));
        }
        return frames;
    }
}
