package org.steno.conference.media;

/**
 * One upstream track a participant publishes (one m-line the browser sends on).
 *
 * @param trackId       unique in the server: {@code <endpointId>/<mid>}
 * @param participantId the participant who publishes it (as given to {@link MediaServer#createEndpoint})
 * @param groupId       the forwarding group (meeting) of the publisher
 * @param kind          audio or video
 * @param codec         codec name as in the SDP rtpmap, e.g. "opus", "VP8", "H264"
 * @param clockRate     RTP clock rate (48000 for Opus, 90000 for video)
 * @param mid           the m-line's mid in the publisher's session
 * @param screenShare   a shared screen, not a camera (the offer's m-line said {@code a=content:slides}, RFC 4796)
 */
public record TrackInfo(String trackId, String participantId, String groupId, MediaKind kind,
                        String codec, int clockRate, String mid, boolean screenShare) {

    /** A microphone or camera. */
    public TrackInfo(String trackId, String participantId, String groupId, MediaKind kind, String codec, int clockRate,
                     String mid) {
        this(trackId, participantId, groupId, kind, codec, clockRate, mid, false);
    }
}
