package org.steno.models.whisperx;

import java.util.List;

/**
 * WhisperX's {@code diarized_json} answer: segments with their speaker label and aligned words.
 * Times are seconds from the start of the file sent. WhisperX cannot align some words (numbers,
 * symbols): their times are null.
 */
public record DiarizedTranscription(String language, List<Segment> segments) {

    public record Segment(double start, double end, String text, String speaker, List<Word> words) {
    }

    public record Word(String word, Double start, Double end, Double score) {
    }
}
