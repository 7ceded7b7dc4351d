package org.steno.pipeline.speech;

/**
 * One speaker turn of a shared microphone, in media time, as the diarizer last revised it.
 *
 * @param turnId   the diarizer's turn id, prefixed by the session ({@code <session>/<id>})
 * @param voice    the voice within the track, stable across the meeting's sessions of one
 *                 diarizer run: {@code <session>/<label>}
 * @param label    the diarizer's anonymous label ({@code spk_0}, …)
 * @param revision the diarizer's revision; the highest one wins
 */
public record VoiceTurn(String turnId, String voice, String label, int revision, boolean withdrawn, long startMs,
                        long endMs) {

    /** Overlap in ms of this turn with {@code [startMs, endMs)}; 0 when they do not meet. */
    public long overlap(long start, long end) {
        return Math.max(0, Math.min(end, endMs) - Math.max(start, startMs));
    }
}
