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
    private static final String COLUMNS = "id, owner_id, title, created_at";

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
                     "INSERT INTO meetings (" + COLUMNS + ") VALUES (?, ?, ?, ?)")) {
            insert.setString(1, m.id());
            insert.setString(2, m.ownerId());
            insert.setString(3, m.title());
            insert.setObject(4, OffsetDateTime.ofInstant(m.createdAt().truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
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

    private List<StoredMeeting> select(String sql, String param) {
        try (Connection c = database.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, param);
            List<StoredMeeting> out = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredMeeting(rs.getString("id"), rs.getString("owner_id"), rs.getString("title"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read meetings: " + e.getMessage(), e);
        }
    }
}
