package org.steno.models.asr;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point to Debian's pocketsphinx: loads the two libraries once, checks the model, and
 * builds decoders. Every {@code ps_init}, {@code ps_free} and {@code cmd_ln_*} call goes through
 * {@link #GLOBAL_LOCK}: sphinxbase's number parser keeps unlocked global state, so two
 * concurrent inits corrupt each other. Decoding itself runs in parallel (one decoder per thread).
 */
public final class PocketSphinx {

    /** Serialises init/free/config calls across every decoder of the process. */
    static final Object GLOBAL_LOCK = new Object();

    private static volatile Libraries libraries;
    private static volatile String loadFailure;

    record Libraries(SphinxNative.SphinxBase base, SphinxNative.PocketSphinx ps) {
    }

    private PocketSphinx() {
    }

    /**
     * Loads the libraries once and silences sphinx's logging ({@code err_set_logfp(NULL)}; never
     * {@code -logfn}, which is process-global and deadlocked concurrent inits). Returns null and
     * remembers why when they cannot be loaded.
     */
    static Libraries libraries() {
        Libraries l = libraries;
        if (l != null || loadFailure != null) {
            return l;
        }
        synchronized (GLOBAL_LOCK) {
            if (libraries != null || loadFailure != null) {
                return libraries;
            }
            try {
                SphinxNative.SphinxBase base = Native.load(SphinxNative.SPHINXBASE_SONAME, SphinxNative.SphinxBase.class);
                SphinxNative.PocketSphinx ps = Native.load(SphinxNative.POCKETSPHINX_SONAME, SphinxNative.PocketSphinx.class);
                base.err_set_logfp(null);
                libraries = new Libraries(base, ps);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
                loadFailure = e.getMessage();
            }
            return libraries;
        }
    }

    /** Can a decoder be built with these paths? Says what to install when it cannot. */
    public static EngineStatus status(AsrModelPaths paths) {
        if (libraries() == null) {
            return EngineStatus.notReady("pocketsphinx library not found (" + SphinxNative.POCKETSPHINX_SONAME + ", "
                    + SphinxNative.SPHINXBASE_SONAME + ": " + loadFailure + "); install it: " + EngineStatus.INSTALL_HINT);
        }
        List<String> problems = paths.problems();
        if (!problems.isEmpty()) {
            return EngineStatus.notReady("pocketsphinx model incomplete: " + String.join("; ", problems)
                    + "; install it (" + EngineStatus.INSTALL_HINT + ") or set the model paths");
        }
        return EngineStatus.ready("pocketsphinx 5prealpha, model " + paths.acousticModel());
    }

    /**
     * Builds a fresh decoder (0.4–0.5 s, ~100 MB). Call off the audio path. Refuses paths that
     * fail {@link AsrModelPaths#problems()}, because sphinx calls exit() on several model errors.
     *
     * @throws IllegalStateException when the engine is not ready or ps_init fails
     */
    public static SphinxDecoder newDecoder(AsrModelPaths paths) {
        EngineStatus st = status(paths);
        if (!st.ready()) {
            throw new IllegalStateException(st.detail());
        }
        Libraries l = libraries();
        List<Object> args = new ArrayList<>();
        args.add("-hmm");
        args.add(paths.acousticModel().toString());
        args.add("-lm");
        args.add(paths.languageModel().toString());
        args.add("-dict");
        args.add(paths.dictionary().toString());
        args.add(null);
        Pointer ps;
        synchronized (GLOBAL_LOCK) {
            Pointer cfg = l.base().cmd_ln_init(null, l.ps().ps_args(), 1, args.toArray());
            if (cfg == null) {
                throw new IllegalStateException("pocketsphinx rejected its configuration");
            }
            l.ps().ps_default_search_args(cfg);
            ps = l.ps().ps_init(cfg);
            // ps_init retains the config when it succeeds; this drops our reference either way.
            l.base().cmd_ln_free_r(cfg);
        }
        if (ps == null) {
            throw new IllegalStateException("pocketsphinx could not load the model at " + paths.acousticModel());
        }
        return new SphinxDecoder(l, ps);
    }
}
