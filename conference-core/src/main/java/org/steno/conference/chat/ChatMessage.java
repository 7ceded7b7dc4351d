package org.steno.conference.chat;

import java.time.Instant;

/**
 * One message of a meeting's chat.
 *
 * @param seq         1, 2, 3… in the meeting's order
 * @param mediaTimeMs when it was sent, on the meeting's media clock (the transcript's time line)
 */
public record ChatMessage(long seq, String participantId, String displayName, String text, Instant at, long mediaTimeMs) {
}
