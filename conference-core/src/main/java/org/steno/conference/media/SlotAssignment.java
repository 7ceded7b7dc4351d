package org.steno.conference.media;

/**
 * A receive slot of a subscriber: one m-line on which the server sends media, and the source it currently carries.
 *
 * @param mid                 the subscriber's m-line mid
 * @param kind                audio or video
 * @param ssrc                the SSRC the server sends on this slot (stable for the slot's life)
 * @param sourceTrackId       the source track currently bound, or null if the slot is free
 * @param sourceParticipantId its participant, or null
 */
public record SlotAssignment(String mid, MediaKind kind, long ssrc, String sourceTrackId, String sourceParticipantId) {
}
