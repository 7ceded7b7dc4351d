package org.steno.models.asr;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * JNA mappings of the few calls of Debian's pocketsphinx 0.8+5prealpha we use. Loaded by exact
 * soname: a bare "pocketsphinx" could pick up a 5.x library whose API has no cmd_ln.
 * Types follow the C headers: size_t → NativeLong, uint8 → byte, int32* → IntByReference;
 * returned strings belong to the decoder and are copied by JNA, never freed by us.
 */
final class SphinxNative {

    static final String POCKETSPHINX_SONAME = "libpocketsphinx.so.3";
    static final String SPHINXBASE_SONAME = "libsphinxbase.so.3";

    private SphinxNative() {
    }

    /** libsphinxbase.so.3: configuration, logging, log-math. */
    interface SphinxBase extends Library {
        /** cmd_ln_t *cmd_ln_init(cmd_ln_t *inout, const arg_t *defn, int32 strict, ...) — NULL-terminated key/value list. */
        Pointer cmd_ln_init(Pointer inout, Pointer defn, int strict, Object... keyValuesThenNull);

        int cmd_ln_free_r(Pointer cmdln);

        /** Passing NULL silences sphinx's log (about 190 lines per decoder). */
        Pointer err_set_logfp(Pointer stream);

        double logmath_exp(Pointer logmath, int logbP);
    }

    /** libpocketsphinx.so.3: the decoder. */
    interface PocketSphinx extends Library {
        Pointer ps_args();

        void ps_default_search_args(Pointer config);

        Pointer ps_init(Pointer config);

        int ps_free(Pointer ps);

        int ps_start_utt(Pointer ps);

        int ps_process_raw(Pointer ps, short[] data, NativeLong nSamples, int noSearch, int fullUtt);

        int ps_end_utt(Pointer ps);

        String ps_get_hyp(Pointer ps, IntByReference outBestScore);

        int ps_get_prob(Pointer ps);

        byte ps_get_in_speech(Pointer ps);

        Pointer ps_get_logmath(Pointer ps);

        Pointer ps_seg_iter(Pointer ps);

        Pointer ps_seg_next(Pointer seg);

        String ps_seg_word(Pointer seg);

        void ps_seg_frames(Pointer seg, IntByReference outSf, IntByReference outEf);

        int ps_seg_prob(Pointer seg, IntByReference outAscr, IntByReference outLscr, IntByReference outLback);

        void ps_seg_free(Pointer seg);
    }
}
