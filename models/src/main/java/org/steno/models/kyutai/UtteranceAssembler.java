package org.steno.models.kyutai;

import java.util.ArrayList;
import java.util.List;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.RecognizedWord;

/**
 * Turns moshi-server's words into the contract's utterances. Each {@code Word} extends the open
 * utterance and gives an interim (Kyutai never revises a word, but the utterance grows, so interims
 * carry a low stability); {@code EndWord} closes the last word; a pause or a flush closes the
 * utterance with a final result carrying every word's times. Positions are 16 kHz stream samples.
 */
final class UtteranceAssembler {

    /** Interims of a growing utterance: the words so far stay, but more will come. */
    static final float INTERIM_STABILITY = 0.3f;
    /** A word without its EndWord (the server closed first) is given one model step. */
    static final long ONE_STEP_16 = 1280;
    private static final long SAMPLES_PER_FRAME = 160; // RecognizedWord counts 10 ms frames

    private final List<long[]> times = new ArrayList<>(); // {start16, end16 or -1}
    private final List<String> words = new ArrayList<>();
    private int utterances;
    private int revision;

    boolean isOpen() {
        return !words.isEmpty();
    }

    /** A new word; returns the interim that shows it. */
    RecognitionEvent.Interim word(String text, long start16) {
        String w = text.strip();
        if (w.isEmpty()) {
            return null;
        }
        if (words.isEmpty()) {
            utterances++;
            revision = 0;
        } else {
            closeLast(start16);
        }
        words.add(w);
        times.add(new long[] {start16, -1});
        RecognitionEvent.Interim i = new RecognitionEvent.Interim(id(), revision++, String.join(" ", words),
                INTERIM_STABILITY, times.get(0)[0], Math.max(start16, lastEnd()));
        return i;
    }

    void endWord(long stop16) {
        if (!times.isEmpty()) {
            long[] t = times.get(times.size() - 1);
            if (t[1] < 0) {
                t[1] = Math.max(t[0], stop16);
            }
        }
    }

    /** Closes the utterance: its final, then its end; empty when no word is open. */
    List<RecognitionEvent> finish() {
        if (words.isEmpty()) {
            return List.of();
        }
        long[] last = times.get(times.size() - 1);
        if (last[1] < 0) {
            last[1] = last[0] + ONE_STEP_16;
        }
        List<RecognizedWord> rw = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            long[] t = times.get(i);
            rw.add(new RecognizedWord(words.get(i), (int) (t[0] / SAMPLES_PER_FRAME),
                    (int) Math.max(t[0] / SAMPLES_PER_FRAME + 1, (t[1] + SAMPLES_PER_FRAME - 1) / SAMPLES_PER_FRAME), 0f));
        }
        long start = times.get(0)[0];
        long end = last[1];
        String id = id();
        RecognitionEvent.Final f = new RecognitionEvent.Final(id, revision, String.join(" ", words), 0f, rw, start, end);
        words.clear();
        times.clear();
        return List.of(f, new RecognitionEvent.UtteranceEnded(id, end));
    }

    private void closeLast(long next16) {
        long[] t = times.get(times.size() - 1);
        if (t[1] < 0) {
            t[1] = Math.max(t[0], next16);
        }
    }

    private long lastEnd() {
        long[] t = times.get(times.size() - 1);
        return t[1] < 0 ? t[0] : t[1];
    }

    private String id() {
        return "u" + utterances;
    }
}
