package org.steno.pipeline.speech;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps the offsets of a speech stream back to media time. Only speech is sent to a model
 * (silence is cut by segmentation), so a stream's offsets are not media times: each
 * discontinuity (a jump in media time or a new speech segment) records an anchor, and an
 * offset is mapped through the last anchor at or before it. Appended on the task thread,
 * read on gRPC threads.
 */
final class StreamTimeline {

    private record Anchor(long offsetMs, long mediaMs, long segmentStartMs) {
    }

    private final List<Anchor> anchors = new ArrayList<>();
    private long sentMs;
    private long expectedMediaMs = Long.MIN_VALUE;
    private long currentSegment = Long.MIN_VALUE;

    /** Records that {@code p}'s audio follows in the stream. */
    void append(AudioPiece p) {
        if (p.mediaMs() != expectedMediaMs || p.segmentStartMs() != currentSegment) {
            synchronized (anchors) {
                anchors.add(new Anchor(sentMs, p.mediaMs(), p.segmentStartMs()));
            }
            currentSegment = p.segmentStartMs();
        }
        sentMs += p.durationMs();
        expectedMediaMs = p.mediaMs() + p.durationMs();
    }

    /** Media time of a stream offset where something starts. */
    long media(long offsetMs) {
        Anchor a = anchorFor(offsetMs, false);
        return a.mediaMs() + (offsetMs - a.offsetMs());
    }

    /**
     * Media time of a stream offset where something ends: an end exactly at a discontinuity
     * belongs to the stretch before it, not to the one after (which may start seconds later).
     */
    long mediaOfEnd(long offsetMs) {
        Anchor a = anchorFor(offsetMs, true);
        return a.mediaMs() + (offsetMs - a.offsetMs());
    }

    /** Speech segment that the audio at a stream offset belongs to. */
    long segmentAt(long offsetMs) {
        return anchorFor(offsetMs, false).segmentStartMs();
    }

    private Anchor anchorFor(long offsetMs, boolean end) {
        synchronized (anchors) {
            for (int i = anchors.size() - 1; i >= 0; i--) {
                long at = anchors.get(i).offsetMs();
                if (end ? at < offsetMs : at <= offsetMs) {
                    return anchors.get(i);
                }
            }
            return anchors.isEmpty() ? new Anchor(0, 0, 0) : anchors.get(0);
        }
    }

    static long toMs(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
}
