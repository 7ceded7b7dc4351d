package org.steno.models.asr;

/**
 * A word from the decoder, with times in frames (10 ms) counted from the first sample fed to
 * the decoder; {@code endFrame} is exclusive.
 */
public record RecognizedWord(String word, int startFrame, int endFrame, float confidence) {

    public double startSeconds() {
        return startFrame / (double) SphinxDecoder.FRAMES_PER_SECOND;
    }

    public double endSeconds() {
        return endFrame / (double) SphinxDecoder.FRAMES_PER_SECOND;
    }
}
