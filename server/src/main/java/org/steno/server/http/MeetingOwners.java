package org.steno.server.http;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who created each meeting. The owner is the meeting's first host: recording and captions are
 * theirs to control, its archive theirs to download.
 */
public interface MeetingOwners extends MeetingRoles {

    void created(String meetingId, String ownerAccountId, String title);

    /** Owners kept in memory only: for a process without a database (they are lost on restart). */
    static MeetingOwners inMemory() {
        Map<String, String> owners = new ConcurrentHashMap<>();
        return new MeetingOwners() {
            @Override
            public void created(String meetingId, String ownerAccountId, String title) {
                owners.put(meetingId, ownerAccountId);
            }

            @Override
            public Set<String> of(String accountId, String meetingId) {
                return accountId.equals(owners.get(meetingId)) ? Set.of(org.steno.server.access.StenoPolicy.OWNER) : Set.of();
            }
        };
    }
}
