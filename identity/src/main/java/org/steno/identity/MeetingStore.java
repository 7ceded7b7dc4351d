package org.steno.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Meetings in table {@code meetings}: the part of a meeting that must outlive the process. */
public final class MeetingStore {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, owner_id, title, created_at, access_level";

    private final Database database;

    public MeetingStore(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /**
     * Inserts the meeting; {@code createdAt} is kept to the millisecond, as {@link #find}
     * returns it. A second meeting with the same id is a {@link DatabaseException}: ids are
     * generated, so that is a bug, not a user's mistake.
     */
    public void save(StoredMeeting m) {
        Objects.requireNonNull(m, "m");
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO meetings (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, m.id());
            insert.setString(2, m.ownerId());
            insert.setString(3, m.title());
            insert.setObject(4, OffsetDateTime.ofInstant(m.createdAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
            insert.setString(5, m.accessLevel());
            insert.executeUpdate();
        } catch (SQLException e) {
            String why = UNIQUE_VIOLATION.equals(e.getSQLState())
                    ? "a meeting with that id already exists" : e.getMessage();
            throw new DatabaseException("cannot save meeting " + LogText.escape(m.id()) + ": " + why, e);
        }
    }

    public Optional<StoredMeeting> find(String id) {
        List<StoredMeeting> found = select("SELECT " + COLUMNS + " FROM meetings WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** The owner's meetings, newest first (ties by id, so the order is stable). */
    public List<StoredMeeting> byOwner(String ownerId) {
        return select("SELECT " + COLUMNS + " FROM meetings WHERE owner_id = ? ORDER BY created_at DESC, id DESC",
                ownerId);
    }

    /** Meetings that name {@code member} with {@code role} ({@code host} or {@code invited}), newest first. */
    public List<StoredMeeting> byMember(String member, String role) {
        return select("SELECT m.id, m.owner_id, m.title, m.created_at, m.access_level FROM meetings m"
                + " JOIN meeting_members x ON x.meeting_id = m.id WHERE x.member = ? AND x.role = ?"
                + " ORDER BY m.created_at DESC, m.id DESC", member.strip().toLowerCase(java.util.Locale.ROOT), role);
    }

    /** Changes the title and access level (the owner's settings); false if there is no such meeting. */
    public boolean update(StoredMeeting m) {
        Objects.requireNonNull(m, "m");
        try (Connection c = database.connection();
             PreparedStatement u = c.prepareStatement("UPDATE meetings SET title = ?, access_level = ? WHERE id = ?")) {
            u.setString(1, m.title());
            u.setString(2, m.accessLevel());
            u.setString(3, m.id());
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("cannot update meeting " + LogText.escape(m.id()) + ": " + e.getMessage(), e);
        }
    }

    /** The meeting's defaults (captions language, record on start), if there is such a meeting. */
    public Optional<MeetingDefaults> defaults(String id) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT captions_language, record_on_start FROM meetings WHERE id = ?")) {
            q.setString(1, id);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next() ? Optional.of(new MeetingDefaults(rs.getString(1), rs.getBoolean(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the defaults of meeting " + LogText.escape(id) + ": " + e.getMessage(), e);
        }
    }

    /** Changes the meeting's defaults (the owner's settings); false if there is no such meeting. */
    public boolean setDefaults(String id, MeetingDefaults d) {
        Objects.requireNonNull(d, "d");
        try (Connection c = database.connection();
             PreparedStatement u = c.prepareStatement(
                     "UPDATE meetings SET captions_language = ?, record_on_start = ? WHERE id = ?")) {
            u.setString(1, d.captionsLanguage());
            u.setBoolean(2, d.recordOnStart());
            u.setString(3, id);
            return u.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("cannot update the defaults of meeting " + LogText.escape(id) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Names {@code member} (a username, lower-cased here) a co-host ({@code host}) or an invited person
     * ({@code invited}) of the meeting, replacing what they were.
     */
    public void putMember(String meetingId, String member, String role) {
        if (!role.equals("host") && !role.equals("invited")) {
            throw new IllegalArgumentException("a member is a host or invited, not " + role);
        }
        String name = member.strip().toLowerCase(java.util.Locale.ROOT);
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM meeting_members WHERE meeting_id = ? AND member = ?");
                 PreparedStatement i = c.prepareStatement("INSERT INTO meeting_members (meeting_id, member, role) VALUES (?, ?, ?)")) {
                d.setString(1, meetingId);
                d.setString(2, name);
                d.executeUpdate();
                i.setString(1, meetingId);
                i.setString(2, name);
                i.setString(3, role);
                i.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot add a member to meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
    }

    /** Removes a co-host or invitation; false if the person was neither. */
    public boolean removeMember(String meetingId, String member) {
        try (Connection c = database.connection();
             PreparedStatement d = c.prepareStatement("DELETE FROM meeting_members WHERE meeting_id = ? AND member = ?")) {
            d.setString(1, meetingId);
            d.setString(2, member.strip().toLowerCase(java.util.Locale.ROOT));
            return d.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseException("cannot remove a member of meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
    }

    /** Co-hosts and invited people of the meeting: username → {@code host} or {@code invited}, sorted by username. */
    public java.util.SortedMap<String, String> members(String meetingId) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT member, role FROM meeting_members WHERE meeting_id = ?")) {
            q.setString(1, meetingId);
            java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString("member"), rs.getString("role"));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read the members of meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
    }

    private List<StoredMeeting> select(String sql, String... params) {
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                q.setString(i + 1, params[i]);
            }
            List<StoredMeeting> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMeeting(rs.getString("id"), rs.getString("owner_id"), rs.getString("title"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("access_level")));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read meetings: " + e.getMessage(), e);
        }
    }
}
