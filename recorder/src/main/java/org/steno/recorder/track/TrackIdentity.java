package org.steno.recorder.track;

/**
 * Who and what a track file is, copied into every segment's commit record; {@code source} is what
 * it carries ({@code microphone}, {@code camera}, {@code screen}; empty for the mix).
 */
public record TrackIdentity(String meetingId, String recordingId, String kind, String participantId,
                            String displayName, String trackId, String codec, String dirKey, String source) {
}
