package org.steno.conference.media;

import java.util.List;
import java.util.Map;

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

    /**
     * Receive at most {@code max} video sources (the page knows how many tiles it can show); the server's last-N
     * ({@link MediaSettings#videoLastN}) stays the ceiling. 0 receives no video. Takes effect at once: slots beyond
     * it are freed, and the receive-slot target ({@link MediaListener#onRenegotiationNeeded}) follows it.
     */
    void limitVideo(int max);

    /**
     * Participants whose video this endpoint receives before the speaker order (screen shares still come first),
     * in this order; an empty list unpins. Ids of participants not in the group are ignored.
     */
    void pin(List<String> participantIds);

    /**
     * The size, in device pixels, of the tile each receive slot ({@code mid}) is shown in; a slot left out shows in
     * no tile the page measured (it gets the best layer). With simulcast, a slot gets the smallest layer at least
     * that wide and tall (capped by the subscriber's bandwidth); without, it changes nothing. Replaces the previous
     * report.
     */
    void tileSizes(Map<String, TileSize> sizesByMid);

    /** Closes the endpoint: stops forwarding to and from it, frees its state. Idempotent. */
    void close();
}
