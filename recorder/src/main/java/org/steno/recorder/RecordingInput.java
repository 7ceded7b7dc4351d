package org.steno.recorder;

/**
 * What the recorder needs from the media plane: the RTP payloads of every published track of
 * one meeting, with the meeting's media time. The SFU's tap calls it; tests call it with
 * synthetic packets. This is the recorder's only input contract.
 *
 * <p>Time: {@code mediaTimeMicros} is the meeting's media clock in microseconds (one clock for
 * every track of the meeting, monotonic, e.g. microseconds since the meeting started), read
 * when the packet arrived at the SFU. It places a track on the recording's time line; RTP
 * timestamps only order and space packets within a track.
 *
 * <p>Threads: calls may come from any thread, but calls for one track must be made in arrival
 * order from one thread at a time. Implementations return quickly (work happens on the
 * recorder's own thread) and never throw on bad media: a corrupt payload is counted and dropped.
 */
public interface RecordingInput {

    /** The kind of a track. */
    enum Kind { AUDIO, VIDEO }

    /**
     * What a track carries. A shared screen is a video track of its own, beside the participant's
     * camera: it becomes its own file, named {@code screen} in the manifest.
     */
    enum Source {
        MICROPHONE, CAMERA, SCREEN;

        /** The name in {@code manifest.json} and the segments' records. */
        public String manifestName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A participant published a track (or the recording started while it was published).
     * A track that ends and comes back (leave and rejoin, a new camera) must use a new
     * {@code trackId}: every {@code trackId} becomes one file.
     *
     * @param participantId   stable id of the participant in the meeting
     * @param displayName     the name shown to others (goes into the manifest)
     * @param trackId         unique within the meeting for this publication
     * @param kind            audio or video
     * @param source          a microphone, a camera or a shared screen
     * @param codec           RTP codec name as in SDP, e.g. {@code "opus"}, {@code "VP8"}; others are refused
     * @param clockRate       RTP clock rate (48000 for Opus, 90000 for VP8)
     * @param mediaTimeMicros meeting media time of the publication
     */
    void trackStarted(String participantId, String displayName, String trackId, Kind kind, Source source,
                      String codec, int clockRate, long mediaTimeMicros);

    /**
     * One RTP packet's payload (after SRTP decryption, without the RTP header and padding).
     * For Opus one payload is one Opus packet; for VP8 it still carries the RFC 7741 payload
     * descriptor, and a frame spans packets up to the one with the marker bit.
     *
     * @param trackId         as given to {@link #trackStarted}
     * @param ssrc            the RTP SSRC (unsigned 32 bits); a change restarts sequence tracking
     * @param sequenceNumber  RTP sequence number (0..65535)
     * @param rtpTimestamp    RTP timestamp (unsigned 32 bits)
     * @param marker          the RTP marker bit (last packet of a video frame)
     * @param payload         the payload bytes; the recorder copies what it keeps, the caller may reuse the array
     * @param mediaTimeMicros meeting media time at arrival
     */
    void packet(String trackId, long ssrc, int sequenceNumber, long rtpTimestamp, boolean marker,
                byte[] payload, long mediaTimeMicros);

    /** The track was muted (nothing, or only silence, will arrive until unmuted). */
    void trackMuted(String trackId, long mediaTimeMicros);

    /** The track was unmuted. */
    void trackUnmuted(String trackId, long mediaTimeMicros);

    /** The track was unpublished; its file is closed. */
    void trackEnded(String trackId, long mediaTimeMicros);

    /** The participant left: every track it still has is ended, and the leave time is recorded. */
    void participantLeft(String participantId, long mediaTimeMicros);
}
