package org.steno.models.audio;

/** A file that cannot become 16 kHz mono audio; the message says why in one sentence a person can act on. */
public final class AudioDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the file was refused, for callers that map it to a status or exit code. */
    public enum Reason { EMPTY, NOT_MEDIA, NO_AUDIO_STREAM, CORRUPT, IO }

    private final Reason reason;

    public AudioDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
