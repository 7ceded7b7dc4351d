package org.steno.conference.media;

import java.util.List;

/**
 * One browser peer connection terminated by the SFU: ICE-lite, DTLS-SRTP, its upstream tracks and its receive slots.
 * Create with {@link MediaServer#createEndpoint}; negotiate with {@link MediaServer#answer}.
 */
public interface Endpoint {

    /** Unique id of this endpoint in the server (random, URL-safe). */
    String id();

    /** The participant id given at creation. */
    String participantId();

    /** The forwarding group (meeting) given at creation: endpoints receive the tracks of their group. */
    String groupId();

    /** True once ICE and DTLS completed and SRTP keys are installed. */
    boolean isConnected();

    /** True once closed (by {@link #close()}, consent timeout, DTLS close or failure). */
    boolean isClosed();

    /** The upstream tracks this endpoint publishes, from its last accepted offer. */
    List<TrackInfo> tracks();

    /** The receive slots (m-lines the server sends on) and what they carry now. */
    List<SlotAssignment> slots();

    /** Closes the endpoint: stops forwarding to and from it, frees its state. Idempotent. */
    void close();
}
