package org.steno.conference.api;

/** A join token that is malformed, forged, expired or for another meeting; the message says which. */
public final class InvalidTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidTokenException(String message) {
        super(message);
    }
}
