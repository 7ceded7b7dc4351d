package org.steno.speech;

import java.util.function.ToLongFunction;

/**
 * Which speaker turn a word belongs to, the way word-level alignment tools decide it: the turn
 * that overlaps the word most; when none overlaps, the nearest one within {@code nearestMs}. The
 * one rule for every place words meet diarization (the live pipeline's shared microphones,
 * {@code steno transcribe}'s file diarization).
 */
public final class TurnOverlap {

    private TurnOverlap() {
    }

    /**
     * @param nearestMs how far from the word a turn may be and still claim it ({@link Long#MAX_VALUE}: any distance)
     * @return the chosen turn, or null when there is none near enough
     */
    public static <T> T turnOf(long startMs, long endMs, Iterable<T> turns, ToLongFunction<T> turnStartMs,
                               ToLongFunction<T> turnEndMs, long nearestMs) {
        long end = Math.max(endMs, startMs + 1);
        T best = null;
        long bestOverlap = 0;
        long bestDistance = Long.MAX_VALUE;
        for (T t : turns) {
            long ts = turnStartMs.applyAsLong(t);
            long te = turnEndMs.applyAsLong(t);
            long overlap = Math.min(end, te) - Math.max(startMs, ts);
            long distance = overlap > 0 ? 0 : Math.max(ts - end, startMs - te);
            if (overlap > bestOverlap || bestOverlap <= 0 && overlap <= 0 && distance < bestDistance) {
                best = t;
                bestOverlap = Math.max(0, overlap);
                bestDistance = distance;
            }
        }
        return bestOverlap > 0 || bestDistance <= nearestMs ? best : null;
    }
}
