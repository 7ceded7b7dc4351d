package org.steno.models.diarize;

/**
 * A stretch of audio attributed to one speaker, in seconds from the start of the audio.
 *
 * @param speaker    speaker index, 0-based, in order of first appearance
 * @param start      start in seconds
 * @param end        end in seconds (greater than start)
 * @param confidence 0–1, how clearly the voice matched this speaker rather than another
 */
public record Turn(int speaker, double start, double end, double confidence) {

    public double duration() {
        return end - start;
    }
}
