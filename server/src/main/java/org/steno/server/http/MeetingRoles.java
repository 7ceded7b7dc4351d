package org.steno.server.http;

import java.util.Set;

/** A signed-in account's roles in one meeting ({@code owner}, {@code host}): what host controls are judged on. */
@FunctionalInterface
public interface MeetingRoles {

    MeetingRoles NONE = (accountId, meetingId) -> Set.of();

    Set<String> of(String accountId, String meetingId);
}
