package org.steno.conference.signaling;

/** The media plane cannot answer an SDP offer; the message is safe to show the client. */
public final class OfferRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public OfferRejectedException(String message) {
        super(message);
    }
}
