package org.steno.models.whisperx;

/** A file WhisperX did not transcribe, and whether trying again could help. */
public final class WhisperXException extends Exception {

    /** Why: the file (400: WhisperX says it cannot read it), our key (401/403), or the service (down, 5xx, slow). */
    public enum Kind { BAD_FILE, REFUSED, UNAVAILABLE }

    private final Kind kind;

    public WhisperXException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
