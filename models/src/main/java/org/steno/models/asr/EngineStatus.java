package org.steno.models.asr;

/**
 * Whether the embedded recognizer can run here, and if not, exactly what to do about it.
 * Checked once at start-up so a missing library or model shows in readiness rather than as
 * a failure in the middle of a meeting.
 */
public record EngineStatus(boolean ready, String detail) {

    public static final String INSTALL_HINT = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

    public static EngineStatus ready(String detail) {
        return new EngineStatus(true, detail);
    }

    public static EngineStatus notReady(String detail) {
        return new EngineStatus(false, detail);
    }
}
