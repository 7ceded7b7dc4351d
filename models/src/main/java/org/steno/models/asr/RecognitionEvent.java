package org.steno.models.asr;

import java.util.List;

/**
 * What a {@link StreamingRecognizer} reports, in audio order. Positions are sample counts
 * from the first sample of the stream (16 kHz).
 */
public sealed interface RecognitionEvent {

    /** The voice-activity detector heard speech begin. */
    record SpeechStarted(long sample) implements RecognitionEvent {
    }

    /** The voice-activity detector heard speech stop. */
    record SpeechEnded(long sample) implements RecognitionEvent {
    }

    /** A revisable guess at the current utterance. */
    record Interim(String utteranceId, int revision, String text, float stability, long startSample, long endSample)
            implements RecognitionEvent {
    }

    /** The last word on an utterance; words carry times from stream start. */
    record Final(String utteranceId, int revision, String text, float confidence, List<RecognizedWord> words,
            long startSample, long endSample) implements RecognitionEvent {
    }

    /** An utterance is over; its {@link Final} came just before. */
    record UtteranceEnded(String utteranceId, long sample) implements RecognitionEvent {
    }
}
