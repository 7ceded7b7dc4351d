package org.steno.conference.media;

/** An SDP offer that cannot be answered; the message says why in one sentence a client developer can act on. */
public final class InvalidSdpException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidSdpException(String message) {
        super(message);
    }
}
