package org.steno.conference.signaling;

import java.util.List;

/** What the media plane tells one participant's signaling session. Never blocks. */
public interface MediaCallbacks {

    /**
     * The browser should have {@code audio} audio and {@code video} video receive transceivers (an absolute target,
     * bounded by top-N and last-N) and send a new offer. Not repeated while that offer is awaited.
     */
    void renegotiate(int audio, int video);

    /** Which track each receive slot shows now. */
    void slots(List<MediaSlot> slots);

    /** ICE/DTLS connected. */
    void connected();

    /** The media connection is gone (consent timeout, DTLS failure…). */
    void closed(String reason);
}
