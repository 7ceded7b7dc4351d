package org.steno.conference.media;

/** What an m-line or a track carries. */
public enum MediaKind {
    AUDIO, VIDEO;

    /** The SDP media type ("audio", "video"). */
    public String sdpName() {
        return this == AUDIO ? "audio" : "video";
    }
}
