package org.steno.pipeline.speech;

import java.io.Serializable;

/**
 * Tuning of the energy voice-activity detector.
 *
 * @param marginDb     how far above the track's noise floor a frame must be to count as speech
 * @param minSpeechDbfs a frame quieter than this is never speech, whatever the floor
 * @param onsetMs      speech must last this long before a segment opens (clicks don't)
 * @param hangoverMs   silence that closes a segment (and flushes the recogniser)
 * @param prerollMs    audio kept before the onset and sent with the segment, so first phonemes survive
 * @param maxSegmentMs a segment is cut after this long, bounding what a restore must replay
 */
public record SegmentationSettings(double marginDb, double minSpeechDbfs, long onsetMs, long hangoverMs,
                                   long prerollMs, long maxSegmentMs) implements Serializable {

    public static SegmentationSettings defaults() {
        return new SegmentationSettings(10, -55, 60, 600, 200, 15_000);
    }
}
