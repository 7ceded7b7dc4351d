package org.steno.models.asr;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.util.ArrayList;
import java.util.List;

/**
 * One native pocketsphinx decoder. The Java side keeps the state the C library does not check,
 * so misuse becomes an {@link IllegalStateException} instead of a dead JVM:
 * <ul>
 *   <li>audio only inside an utterance (ps_process_raw after ps_end_utt aborts);</li>
 *   <li>no hypothesis read after a failed ps_start_utt (a decoder without search segfaults there);</li>
 *   <li>ps_free exactly once, and nothing after it (double free aborts, use after free is undefined);</li>
 *   <li>every method is synchronized: a decoder is never inside two calls at once.</li>
 * </ul>
 */
public final class SphinxDecoder implements AutoCloseable {

    /** The model's frame rate ({@code -frate}, 100 frames per second). */
    public static final int FRAMES_PER_SECOND = 100;

    private final PocketSphinx.Libraries lib;
    private Pointer ps;
    private boolean inUtterance;
    private boolean searchFailed;
    private boolean processedAudio;

    SphinxDecoder(PocketSphinx.Libraries lib, Pointer ps) {
        this.lib = lib;
        this.ps = ps;
    }

    public synchronized void startUtterance() {
        Pointer p = live();
        if (searchFailed) {
            throw new IllegalStateException("decoder has no working search; it cannot decode");
        }
        if (inUtterance) {
            throw new IllegalStateException("utterance already started");
        }
        if (lib.ps().ps_start_utt(p) < 0) {
            searchFailed = true;
            throw new IllegalStateException("ps_start_utt failed (no language model or search)");
        }
        inUtterance = true;
    }

    /** Feeds 16 kHz mono s16 samples; {@code n} samples from the start of {@code samples}. */
    public synchronized void process(short[] samples, int n) {
        Pointer p = live();
        if (!inUtterance) {
            throw new IllegalStateException("audio outside an utterance: call startUtterance() first");
        }
        if (n < 0 || n > samples.length) {
            throw new IllegalArgumentException("sample count " + n + " outside buffer of " + samples.length);
        }
        if (n == 0) {
            return;
        }
        processedAudio = true;
        if (lib.ps().ps_process_raw(p, samples, new NativeLong(n), 0, 0) < 0) {
            throw new IllegalStateException("ps_process_raw failed");
        }
    }

    /** Whether the decoder's voice-activity detector is in speech (drops after 0.5 s of non-speech). */
    public synchronized boolean inSpeech() {
        return lib.ps().ps_get_in_speech(live()) != 0;
    }

    public synchronized void endUtterance() {
        Pointer p = live();
        if (!inUtterance) {
            throw new IllegalStateException("no utterance to end");
        }
        inUtterance = false;
        lib.ps().ps_end_utt(p);
    }

    public synchronized boolean inUtterance() {
        return inUtterance;
    }

    /** Whether this decoder has ever decoded audio (a pristine one can serve another stream). */
    public synchronized boolean used() {
        return processedAudio;
    }

    /**
     * Whether another stream may have this decoder: open, never fed audio (its cepstral-mean
     * estimate is untouched), outside an utterance, and its search worked.
     */
    public synchronized boolean reusable() {
        return ps != null && !processedAudio && !inUtterance && !searchFailed;
    }

    /** The best hypothesis so far (interim inside an utterance, final after it); null when nothing was recognised. */
    public synchronized String hypothesis() {
        Pointer p = live();
        if (searchFailed) {
            return null;
        }
        return lib.ps().ps_get_hyp(p, new IntByReference());
    }

    /**
     * The words of the last utterance with absolute frame times, fillers ({@code <s>},
     * {@code <sil>}, {@code [NOISE]}) removed and alternate pronunciations ({@code word(2)})
     * folded to the word. Confidence is the posterior probability of the word in the lattice.
     */
    public synchronized List<RecognizedWord> words() {
        Pointer p = live();
        List<RecognizedWord> out = new ArrayList<>();
        if (searchFailed) {
            return out;
        }
        Pointer lmath = lib.ps().ps_get_logmath(p);
        IntByReference sf = new IntByReference();
        IntByReference ef = new IntByReference();
        IntByReference a = new IntByReference();
        IntByReference l = new IntByReference();
        IntByReference b = new IntByReference();
        for (Pointer seg = lib.ps().ps_seg_iter(p); seg != null; seg = lib.ps().ps_seg_next(seg)) {
            // ps_seg_next frees the iterator when it returns NULL, so a full loop needs no ps_seg_free.
            String w = lib.ps().ps_seg_word(seg);
            if (w == null || w.startsWith("<") || w.startsWith("[")) {
                continue;
            }
            int paren = w.indexOf('(');
            if (paren > 0 && w.endsWith(")")) {
                w = w.substring(0, paren);
            }
            lib.ps().ps_seg_frames(seg, sf, ef);
            int prob = lib.ps().ps_seg_prob(seg, a, l, b);
            double conf = lmath == null ? 0 : lib.base().logmath_exp(lmath, prob);
            out.add(new RecognizedWord(w, sf.getValue(), ef.getValue() + 1, (float) Math.max(0, Math.min(1, conf))));
        }
        return out;
    }

    /** Posterior probability (0–1) of the last hypothesis. */
    public synchronized float confidence() {
        Pointer p = live();
        if (searchFailed) {
            return 0;
        }
        Pointer lmath = lib.ps().ps_get_logmath(p);
        double c = lmath == null ? 0 : lib.base().logmath_exp(lmath, lib.ps().ps_get_prob(p));
        return (float) Math.max(0, Math.min(1, c));
    }

    public synchronized boolean isClosed() {
        return ps == null;
    }

    /** Frees the native decoder once; later calls do nothing. */
    @Override
    public synchronized void close() {
        Pointer p = ps;
        if (p == null) {
            return;
        }
        ps = null;
        synchronized (PocketSphinx.GLOBAL_LOCK) {
            lib.ps().ps_free(p);
        }
    }

    private Pointer live() {
        Pointer p = ps;
        if (p == null) {
            throw new IllegalStateException("decoder already freed");
        }
        return p;
    }
}
