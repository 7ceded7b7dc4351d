package org.steno.server.identity;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.identity.StoredMeeting;
import org.steno.server.http.MeetingDirectory;

/**
 * Meetings in the database, so a meeting's owner, access level, co-hosts and invitations
 * survive a restart (and an archived meeting's owner can still download it). Entries are
 * cached once read and dropped from the cache at every change made through this process.
 */
final class StoredMeetingDirectory implements MeetingDirectory {

    private static final int MAX_CACHED = 100_000;

    private final IdentityRole identity;
    private final java.time.Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    StoredMeetingDirectory(IdentityRole identity, java.time.Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public void created(String meetingId, String ownerAccountId, String title, String accessLevel) {
        identity.meetings().save(new StoredMeeting(meetingId, ownerAccountId, title == null ? "" : title, clock.instant(),
                accessLevel));
        cache.remove(meetingId);
    }

    @Override
    public Optional<Entry> find(String meetingId) {
        Entry e = cache.get(meetingId);
        if (e != null) {
            return Optional.of(e);
        }
        Optional<StoredMeeting> m = identity.meetings().find(meetingId);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        e = new Entry(m.get().ownerId(), m.get().title(), m.get().accessLevel(), identity.meetings().members(meetingId));
        if (cache.size() < MAX_CACHED) {
            cache.put(meetingId, e);
        }
        return Optional.of(e);
    }

    @Override
    public boolean update(String meetingId, String title, String accessLevel) {
        Optional<StoredMeeting> m = identity.meetings().find(meetingId);
        boolean done = m.isPresent() && identity.meetings().update(m.get().withTitle(title).withAccessLevel(accessLevel));
        cache.remove(meetingId);
        return done;
    }

    @Override
    public org.steno.identity.MeetingDefaults defaults(String meetingId) {
        return meetingId == null ? org.steno.identity.MeetingDefaults.STANDARD
                : identity.meetings().defaults(meetingId).orElse(org.steno.identity.MeetingDefaults.STANDARD);
    }

    @Override
    public boolean setDefaults(String meetingId, org.steno.identity.MeetingDefaults d) {
        return identity.meetings().setDefaults(meetingId, d);
    }

    @Override
    public void putMember(String meetingId, String username, String role) {
        identity.meetings().putMember(meetingId, username, role);
        cache.remove(meetingId);
    }

    @Override
    public boolean removeMember(String meetingId, String username) {
        boolean done = identity.meetings().removeMember(meetingId, username);
        cache.remove(meetingId);
        return done;
    }

    @Override
    public java.util.List<Listed> meetingsOf(String accountId, String username) {
        java.util.Map<String, Listed> out = new java.util.LinkedHashMap<>();
        for (StoredMeeting m : identity.meetings().byOwner(accountId)) {
            out.putIfAbsent(m.id(), listed(m, "owner"));
        }
        if (username != null) {
            for (String relation : java.util.List.of("host", "invited")) {
                for (StoredMeeting m : identity.meetings().byMember(username, relation)) {
                    out.putIfAbsent(m.id(), listed(m, relation));
                }
            }
        }
        for (String id : identity.attendance().meetingsOf(accountId)) {
            if (!out.containsKey(id)) {
                identity.meetings().find(id).ifPresent(m -> out.put(m.id(), listed(m, "attended")));
            }
        }
        java.util.List<Listed> list = new java.util.ArrayList<>(out.values());
        list.sort(java.util.Comparator.comparing(Listed::createdAt).reversed());
        return list;
    }

    private static Listed listed(StoredMeeting m, String relation) {
        return new Listed(m.id(), m.title(), m.createdAt(), m.accessLevel(), relation);
    }

    @Override
    public Optional<String> username(String accountId) {
        return identity.accounts().find(accountId).map(org.steno.identity.Account::username);
    }

    @Override
    public Set<String> of(String accountId, String meetingId) {
        Optional<Entry> m = find(meetingId);
        Set<String> roles = Set.of();
        if (m.isPresent()) {
            // The owner is known from the cached entry; the username is read only when co-hosts exist.
            Optional<String> username = m.get().ownerId().equals(accountId) || m.get().members().isEmpty()
                    ? Optional.empty() : username(accountId);
            roles = MeetingDirectory.rolesOf(m, accountId, username);
        }
        // Someone who was there may come back to its archive. Not cached: attendance grows while a meeting runs.
        return roles.isEmpty() && identity.attendance().attended(accountId, meetingId)
                ? Set.of(org.steno.server.access.StenoPolicy.ATTENDEE) : roles;
    }
}
