package org.steno.conference.media.stun;

/** A datagram that is not a well-formed STUN message. */
public final class StunException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunException(String message) {
        super(message, null, false, false); // dropped per packet: no stack trace cost
    }
}
