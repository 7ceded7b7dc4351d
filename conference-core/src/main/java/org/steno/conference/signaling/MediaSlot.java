package org.steno.conference.signaling;

/**
 * A receive slot of a browser's peer connection and whose track it shows now.
 *
 * @param mid           the m-line (transceiver) mid in the browser's session
 * @param kind          "audio" or "video"
 * @param trackId       the meeting track shown, or null when the slot is free
 * @param participantId the participant publishing it, or null
 */
public record MediaSlot(String mid, String kind, String trackId, String participantId) {
}
