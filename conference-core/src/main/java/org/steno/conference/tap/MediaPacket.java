package org.steno.conference.tap;

import java.time.Duration;
import org.steno.conference.meeting.TrackKind;

/**
 * One decrypted RTP payload of a participant's track, as the recorder needs it: Opus frames
 * (one per packet) or VP8 packets (a frame ends at {@code marker}), stamped with meeting media
 * time.
 *
 * @param codec        MIME type, e.g. {@code audio/opus}, {@code video/VP8}
 * @param rtpSequence  the publisher's RTP sequence number (16-bit), for reordering
 * @param rtpTimestamp the publisher's RTP timestamp (32-bit, unsigned)
 * @param sequence     the tap's own per-track counter from 0
 */
public record MediaPacket(String meetingId, String participantId, String trackId, TrackKind kind, String codec,
                          int rtpSequence, long rtpTimestamp, boolean marker, long sequence, Duration mediaTime,
                          byte[] payload) {
}
