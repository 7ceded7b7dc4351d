package org.steno.conference.media;

/**
 * One decrypted RTP packet of an upstream track, as handed to {@link MediaListener#onRtp}.
 *
 * @param track          the track it belongs to
 * @param extendedSeq    64-bit extended RTP sequence number (never wraps)
 * @param rtpTimestamp   the RTP timestamp (unsigned 32-bit, in {@link TrackInfo#clockRate()} units)
 * @param marker         the RTP marker bit (end of a video frame)
 * @param payload        the codec payload (Opus packet or VP8 payload incl. its descriptor), no RTP header, no padding;
 *                       owned by the receiver (a fresh copy per listener call)
 * @param arrivalNanos   {@link System#nanoTime()} when the datagram was read from the socket
 * @param arrivalEpochMillis wall clock when the datagram was read
 * @param audioLevel     RFC 6464 level in -dBov (0 loud .. 127 silent), or -1 if the packet carried none
 */
public record MediaFrame(TrackInfo track, long extendedSeq, long rtpTimestamp, boolean marker, byte[] payload,
                         long arrivalNanos, long arrivalEpochMillis, int audioLevel) {
}
