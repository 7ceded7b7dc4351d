package org.steno.server.identity;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.identity.MeetingStore;
import org.steno.identity.StoredMeeting;
import org.steno.server.access.StenoPolicy;
import org.steno.server.http.MeetingOwners;

/**
 * Meeting owners in the database, so a meeting's owner is still its owner after a restart
 * (and an archived meeting's owner can still download it). Owners never change, so they are
 * cached once read.
 */
final class StoredMeetingOwners implements MeetingOwners {

    private final IdentityRole identity;
    private final java.time.Clock clock;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    StoredMeetingOwners(IdentityRole identity, java.time.Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public void created(String meetingId, String ownerAccountId, String title) {
        identity.meetings().save(new StoredMeeting(meetingId, ownerAccountId, title == null ? "" : title, clock.instant()));
        cache.put(meetingId, ownerAccountId);
    }

    @Override
    public Set<String> of(String accountId, String meetingId) {
        String owner = cache.get(meetingId);
        if (owner == null) {
            Optional<StoredMeeting> m = identity.meetings().find(meetingId);
            if (m.isEmpty()) {
                return identity.attendance().attended(accountId, meetingId) ? Set.of(StenoPolicy.ATTENDEE) : Set.of();
            }
            owner = m.get().ownerId();
            if (cache.size() < 100_000) {
                cache.put(meetingId, owner);
            }
        }
        if (owner.equals(accountId)) {
            return Set.of(StenoPolicy.OWNER);
        }
        // Not cached: attendance grows while a meeting runs.
        return identity.attendance().attended(accountId, meetingId) ? Set.of(StenoPolicy.ATTENDEE) : Set.of();
    }
}
