package org.steno.conference.signaling;

/**
 * What signaling needs from the media plane: one media session per joined participant.
 * The server passes the SFU's adapter; {@link #NONE} serves processes without one.
 */
public interface MediaGateway {

    MediaSession open(String meetingId, String participantId, MediaCallbacks callbacks);

    /** No media plane: signaling works, offers are refused with a clear message. */
    MediaGateway NONE = (meetingId, participantId, callbacks) -> new MediaSession() {
        @Override
        public String answer(String offerSdp) throws OfferRejectedException {
            throw new OfferRejectedException("this process runs no media plane; media arrives with the SFU");
        }

        @Override
        public void close() {
        }
    };
}
