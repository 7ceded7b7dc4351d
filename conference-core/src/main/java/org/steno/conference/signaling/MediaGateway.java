package org.steno.conference.signaling;

/**
 * What signaling needs from the media plane: one media session per joined participant.
 * The server passes the SFU's adapter; {@link #NONE} serves processes without one.
 */
public interface MediaGateway {

    MediaSession open(String meetingId, String participantId, MediaCallbacks callbacks);

    /**
     * Opens the media session of a participant; {@code sharedMicrophone}: several people speak
     * into its microphone (a meeting room), so its audio track is published as shared and
     * diarized. A media plane that cannot tell ignores it.
     */
    default MediaSession open(String meetingId, String participantId, boolean sharedMicrophone, MediaCallbacks callbacks) {
        return open(meetingId, participantId, callbacks);
    }

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
