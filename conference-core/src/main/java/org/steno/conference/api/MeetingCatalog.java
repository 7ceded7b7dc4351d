package org.steno.conference.api;

import java.util.Optional;

/**
 * Meetings the platform keeps beyond their live session (the server's database): a link to one
 * of them opens it again, after it emptied or the server restarted.
 */
@FunctionalInterface
public interface MeetingCatalog {

    /** Nothing is kept: a meeting lives as long as it is active. */
    MeetingCatalog NONE = id -> Optional.empty();

    /** The title of the known meeting {@code id}, or empty when there is none. */
    Optional<String> title(String meetingId);
}
