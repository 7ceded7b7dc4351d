package org.steno.conference.signaling;

/** One participant's media connection, as signaling sees it. */
public interface MediaSession {

    /** Answers an SDP offer (the first one, or a renegotiation). */
    String answer(String offerSdp) throws OfferRejectedException;

    /** Frees the connection. Idempotent. */
    void close();
}
