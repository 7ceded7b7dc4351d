package org.steno.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which accounts were in which meeting (table {@code meeting_attendance}): recorded the first
 * time an account enters a meeting's room, kept across restarts. It answers "may this agent open
 * the archive of a meeting they attended" and "which meetings may this agent search".
 */
public final class MeetingAttendance {

    private static final String UNIQUE_VIOLATION = "23505";

    private final Database database;

    public MeetingAttendance(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Records that {@code accountId} was in {@code meetingId}; a second entry changes nothing. */
    public void record(String meetingId, String accountId, Instant at) {
        Objects.requireNonNull(meetingId, "meetingId");
        Objects.requireNonNull(accountId, "accountId");
        if (attended(accountId, meetingId)) {
            return;
        }
        try (Connection c = database.connection();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO meeting_attendance (meeting_id, account_id, first_seen_at) VALUES (?, ?, ?)")) {
            insert.setString(1, meetingId);
            insert.setString(2, accountId);
            insert.setObject(3, OffsetDateTime.ofInstant(at.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                return; // the same account entered twice at once: recorded once, as wanted
            }
            throw new DatabaseException("cannot record attendance of meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
    }

    public boolean attended(String accountId, String meetingId) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT 1 FROM meeting_attendance WHERE meeting_id = ? AND account_id = ?")) {
            q.setString(1, meetingId);
            q.setString(2, accountId);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read meeting attendance: " + e.getMessage(), e);
        }
    }

    /** Every meeting the account attended. */
    public Set<String> meetingsOf(String accountId) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT meeting_id FROM meeting_attendance WHERE account_id = ?")) {
            q.setString(1, accountId);
            Set<String> out = new LinkedHashSet<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException("cannot read meeting attendance: " + e.getMessage(), e);
        }
    }
}
