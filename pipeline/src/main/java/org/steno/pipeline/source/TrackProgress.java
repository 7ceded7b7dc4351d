package org.steno.pipeline.source;

/**
 * Checkpointed position of one track of a meeting split: the media time up to which its
 * audio has been emitted, and who publishes it. {@code closed} tracks still count at the
 * meeting's end (their transcript parts belong to it).
 */
public record TrackProgress(long reachedMs, String participantId, String identity, String displayName, boolean closed) {

    TrackProgress advance(long toMs, String name) {
        return new TrackProgress(Math.max(reachedMs, toMs), participantId, identity, name, closed);
    }

    TrackProgress close() {
        return new TrackProgress(reachedMs, participantId, identity, displayName, true);
    }
}
