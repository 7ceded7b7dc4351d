package org.steno.conference.signaling;

import java.util.List;

/** What the media plane tells one participant's signaling session. Never blocks. */
public interface MediaCallbacks {

    /** The browser should add this many recvonly transceivers and send a new offer. */
    void renegotiate(int audio, int video);

    /** Which track each receive slot shows now. */
    void slots(List<MediaSlot> slots);

    /** ICE/DTLS connected. */
    void connected();

    /** The media connection is gone (consent timeout, DTLS failure…). */
    void closed(String reason);
}
