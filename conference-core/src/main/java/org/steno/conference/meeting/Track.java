package org.steno.conference.meeting;

import java.time.Duration;
import java.util.Objects;

/**
 * A published track as it is at one instant (immutable snapshot).
 *
 * @param codec       MIME type received from the publisher, e.g. {@code audio/opus}
 * @param publishedAt media time of publication
 * @param sharedMicrophone several people speak into this (audio) track: consumers diarize it
 */
public record Track(String id, String participantId, TrackKind kind, TrackSource source, boolean muted,
                    String codec, Duration publishedAt, boolean sharedMicrophone) {

    public Track {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(participantId, "participantId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(source, "source");
        codec = codec == null ? "" : codec;
        Objects.requireNonNull(publishedAt, "publishedAt");
    }

    Track withMuted(boolean m) {
        return new Track(id, participantId, kind, source, m, codec, publishedAt, sharedMicrophone);
    }
}
