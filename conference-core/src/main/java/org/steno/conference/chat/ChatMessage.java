package org.steno.conference.chat;

import java.time.Instant;

/**
 * One message of a meeting's chat.
 *
 * @param seq         1, 2, 3… in the meeting's order
 * @param mediaTimeMs when it was sent, on the meeting's media clock (the transcript's time line)
 */
public record ChatMessage(long seq, String participantId, String displayName, String text, Instant at, long mediaTimeMs) {

    /** As pages are sent it and {@code chat.json} stores it. */
    public java.util.Map<String, Object> view() {
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("seq", seq);
        o.put("participantId", participantId);
        o.put("displayName", displayName);
        o.put("text", text);
        o.put("at", at.toString());
        o.put("mediaTimeMs", mediaTimeMs);
        return o;
    }
}
