package org.steno.pipeline.speech;

/**
 * Audio sent to the recogniser but not yet confirmed final (or the end marker of a segment),
 * kept in keyed state so a restored job or a reconnected session can send it again.
 */
public record AudioPiece(long segmentStartMs, long mediaMs, byte[] pcm, boolean segmentEnd) {

    public long durationMs() {
        return pcm == null ? 0 : pcm.length / 32L;
    }
}
