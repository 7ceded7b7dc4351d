package org.steno.models.kyutai;

/** A frame from the server that is not a message of its protocol; the message says what was wrong. */
public final class MoshiProtocolException extends Exception {

    public MoshiProtocolException(String message) {
        super(message);
    }

    public MoshiProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
