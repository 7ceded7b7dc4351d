package org.steno.server.http;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.steno.server.access.StenoPolicy;

/**
 * What outlives a meeting's live session: who owns it, its title, its access level and the
 * people the owner named (co-hosts and invited people, by username). The owner and co-hosts
 * are the meeting's hosts: recording, captions, the lobby and the other host controls are
 * theirs, its archive theirs to download.
 */
public interface MeetingDirectory extends MeetingRoles {

    /** Access levels, La Suite Meet's model: who enters without waiting in the lobby. */
    Set<String> ACCESS_LEVELS = Set.of("public", "trusted", "restricted");
    /** New meetings: signed-in people enter, guests wait for a host. */
    String DEFAULT_ACCESS_LEVEL = "trusted";

    /** A meeting's record. @param members username → {@code host} or {@code invited} */
    record Entry(String ownerId, String title, String accessLevel, SortedMap<String, String> members) {
    }

    void created(String meetingId, String ownerAccountId, String title, String accessLevel);

    Optional<Entry> find(String meetingId);

    /** The owner's settings; false if there is no such meeting. */
    boolean update(String meetingId, String title, String accessLevel);

    /** The meeting's defaults (captions language, record on start); the standard ones for a meeting not on record. */
    org.steno.identity.MeetingDefaults defaults(String meetingId);

    /** The owner's defaults; false if there is no such meeting. */
    boolean setDefaults(String meetingId, org.steno.identity.MeetingDefaults defaults);

    /** Names a co-host ({@code host}) or an invited person ({@code invited}). */
    void putMember(String meetingId, String username, String role);

    boolean removeMember(String meetingId, String username);

    /** A meeting in someone's list: how they relate to it ({@code owner}, {@code host}, {@code invited}, {@code attended}). */
    record Listed(String meetingId, String title, java.time.Instant createdAt, String accessLevel, String relation) {
    }

    /** The meetings the account owns, co-hosts, is invited to or attended, newest first, each once (in that order of relation). */
    java.util.List<Listed> meetingsOf(String accountId, String username);

    /** The account's username (what invitations name), if the account exists. */
    Optional<String> username(String accountId);

    /** Kept in memory only: for a process without a database (lost on restart). */
    static MeetingDirectory inMemory() {
        Map<String, Entry> meetings = new ConcurrentHashMap<>();
        Map<String, org.steno.identity.MeetingDefaults> defaults = new ConcurrentHashMap<>();
        return new MeetingDirectory() {
            @Override
            public org.steno.identity.MeetingDefaults defaults(String meetingId) {
                return meetingId == null ? org.steno.identity.MeetingDefaults.STANDARD
                        : defaults.getOrDefault(meetingId, org.steno.identity.MeetingDefaults.STANDARD);
            }

            @Override
            public boolean setDefaults(String meetingId, org.steno.identity.MeetingDefaults d) {
                if (!meetings.containsKey(meetingId)) {
                    return false;
                }
                defaults.put(meetingId, d);
                return true;
            }

            @Override
            public void created(String meetingId, String ownerAccountId, String title, String accessLevel) {
                meetings.put(meetingId, new Entry(ownerAccountId, title, accessLevel, new TreeMap<>()));
            }

            @Override
            public Optional<Entry> find(String meetingId) {
                return Optional.ofNullable(meetings.get(meetingId));
            }

            @Override
            public boolean update(String meetingId, String title, String accessLevel) {
                return meetings.computeIfPresent(meetingId, (k, e) -> new Entry(e.ownerId(), title, accessLevel, e.members())) != null;
            }

            @Override
            public void putMember(String meetingId, String username, String role) {
                find(meetingId).ifPresent(e -> e.members().put(username, role));
            }

            @Override
            public boolean removeMember(String meetingId, String username) {
                return find(meetingId).map(e -> e.members().remove(username) != null).orElse(false);
            }

            @Override
            public java.util.List<Listed> meetingsOf(String accountId, String username) {
                java.util.List<Listed> out = new java.util.ArrayList<>();
                meetings.forEach((id, e) -> {
                    String relation = e.ownerId().equals(accountId) ? "owner" : e.members().get(username);
                    if (relation != null) {
                        out.add(new Listed(id, e.title(), java.time.Instant.EPOCH, e.accessLevel(), relation));
                    }
                });
                return out;
            }

            @Override
            public Optional<String> username(String accountId) {
                return Optional.of(accountId.substring(accountId.indexOf(':') + 1));
            }

            @Override
            public Set<String> of(String accountId, String meetingId) {
                return MeetingDirectory.rolesOf(find(meetingId), accountId, username(accountId));
            }
        };
    }

    /** Owner, co-host, or nothing: the account's roles in the meeting. */
    static Set<String> rolesOf(Optional<Entry> meeting, String accountId, Optional<String> username) {
        if (meeting.isEmpty()) {
            return Set.of();
        }
        if (meeting.get().ownerId().equals(accountId)) {
            return Set.of(StenoPolicy.OWNER);
        }
        if (username.isPresent() && "host".equals(meeting.get().members().get(username.get()))) {
            return Set.of(StenoPolicy.HOST);
        }
        return Set.of();
    }
}
