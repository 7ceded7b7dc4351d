package org.steno.pipeline.batch;

import java.util.List;

/**
 * Transcribes one participant's recorded track after the meeting, whole: a slower, better engine
 * than the live one (WhisperX on a GPU host). The server passes one in; the pass owns the rest.
 */
public interface TrackTranscriber {

    /** Engine and model, for the transcript's provenance. */
    String engine();

    String model();

    /**
     * @param file     the track as stored ({@code track.ogg}: Ogg Opus)
     * @param language BCP-47 of the meeting, e.g. {@code fr-FR}
     * @return what was said, times in ms from the file's start; {@code voice} tells voices of one
     *         microphone apart when the engine diarizes (empty otherwise)
     * @throws UnreadableTrack when the engine cannot read this file (the track becomes a coverage gap)
     * @throws java.io.IOException when the engine is unavailable or refuses us (the pass fails; the live transcript stays)
     */
    List<Utterance> transcribe(byte[] file, String fileName, String language)
            throws UnreadableTrack, java.io.IOException, InterruptedException;

    record Utterance(long startMs, long endMs, String text, String voice, List<TimedWord> words) {
    }

    /** A word; {@code startMs} −1 when the engine could not place it in time. */
    record TimedWord(String text, long startMs, long endMs, float confidence) {
    }

    /** The engine could not read the file. */
    final class UnreadableTrack extends Exception {
        public UnreadableTrack(String message) {
            super(message);
        }
    }
}
