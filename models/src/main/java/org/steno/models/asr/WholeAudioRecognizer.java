package org.steno.models.asr;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Recognises audio that is all there (a file) with the same utterance loop as streaming and
 * as {@code pocketsphinx_continuous}: 100 ms blocks, an utterance cut after 0.5 s of non-speech.
 */
public final class WholeAudioRecognizer {

    /** The command-line tool's end-of-utterance silence (its VAD hangover). */
    public static final long CLI_EOU_SILENCE_MS = 500;
    private static final int BLOCK = StreamingRecognizer.SAMPLE_RATE / 10;

    private WholeAudioRecognizer() {
    }

    /**
     * @param progress receives the number of samples decoded after each block (may be called often)
     * @return final results in order
     */
    public static List<RecognitionEvent.Final> recognize(SphinxDecoder decoder, short[] samples, LongConsumer progress) {
        List<RecognitionEvent.Final> finals = new ArrayList<>();
        try (StreamingRecognizer r = new StreamingRecognizer(decoder, false, CLI_EOU_SILENCE_MS)) {
            short[] block = new short[BLOCK];
            for (int off = 0; off < samples.length; off += BLOCK) {
                int n = Math.min(BLOCK, samples.length - off);
                System.arraycopy(samples, off, block, 0, n);
                collect(r.accept(block, n), finals);
                progress.accept(off + n);
            }
            collect(r.finish(), finals);
        }
        return finals;
    }

    private static void collect(List<RecognitionEvent> events, List<RecognitionEvent.Final> into) {
        for (RecognitionEvent e : events) {
            if (e instanceof RecognitionEvent.Final f) {
                into.add(f);
            }
        }
    }
}
