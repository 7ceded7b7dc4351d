package org.steno.conference.media;

import java.util.List;

/**
 * Events from the media plane. Every method has an empty default; implement what you need.
 *
 * <p>Calls come from the media worker threads. Return quickly and never block: hand work to your own
 * executor. An exception thrown by a listener is logged and ignored; it never stops the media path.
 */
public interface MediaListener {

    /** A new upstream track was announced by an accepted offer (before any packet flows). */
    default void onTrack(Endpoint endpoint, TrackInfo track) {
    }

    /** An upstream track went away (renegotiated away or its endpoint closed). */
    default void onTrackEnded(Endpoint endpoint, TrackInfo track) {
    }

    /** ICE and DTLS completed: SRTP flows from now on. */
    default void onConnected(Endpoint endpoint) {
    }

    /** One decrypted RTP packet of an upstream track (Opus or VP8/H.264 payload). */
    default void onRtp(MediaFrame frame) {
    }

    /**
     * The endpoint should have {@code audio} audio and {@code video} video receive slots (an absolute target, not
     * a number to add) and its last offer had fewer: the page adds recvonly transceivers up to the target and sends
     * a new offer. The target is bounded by the top-N and last-N settings whatever the group's size; it is sent
     * once and not again until an offer that meets it arrives (a re-offer in flight is never asked twice).
     */
    default void onRenegotiationNeeded(Endpoint endpoint, int audio, int video) {
    }

    /** Which source track each receive slot (mid) of this endpoint now shows; see {@link Endpoint#slots()}. */
    default void onSlotsChanged(Endpoint endpoint, List<SlotAssignment> slots) {
    }

    /** The dominant speaker of a group changed (participant id, or null when everyone fell silent). */
    default void onDominantSpeaker(String groupId, String participantId) {
    }

    /** The endpoint is gone: closed by the application, ICE consent expired, DTLS closed or failed. */
    default void onEndpointClosed(Endpoint endpoint, String reason) {
    }
}
