package org.steno.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/** Meetings under legal hold (table {@code legal_holds}): nothing of theirs is deleted while held. */
public final class LegalHolds {

    /** A hold: why, by whom (account id), since when (to the millisecond). */
    public record Hold(String meetingId, String reason, String placedBy, Instant placedAt) {
    }

    private final Database database;

    public LegalHolds(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** Places the hold, or replaces the reason of the one in place (the first placement's time is kept). */
    public Hold place(String meetingId, String reason, String by, Instant at) {
        Optional<Hold> existing = find(meetingId);
        String sql = existing.isPresent()
                ? "UPDATE legal_holds SET reason = ?, placed_by = ? WHERE meeting_id = ?"
                : "INSERT INTO legal_holds (reason, placed_by, meeting_id, placed_at) VALUES (?, ?, ?, ?)";
        Instant when = existing.map(Hold::placedAt).orElse(at.truncatedTo(ChronoUnit.MILLIS));
        try (Connection c = database.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, reason);
            s.setString(2, by);
            s.setString(3, meetingId);
            if (existing.isEmpty()) {
                s.setObject(4, OffsetDateTime.ofInstant(when, ZoneOffset.UTC));
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException("cannot place a legal hold on meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
        return new Hold(meetingId, reason, by, when);
    }

    /** Releases the hold; false when there was none. */
    public boolean release(String meetingId) {
        try (Connection c = database.connection();
             PreparedStatement s = c.prepareStatement("DELETE FROM legal_holds WHERE meeting_id = ?")) {
            s.setString(1, meetingId);
            return s.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new DatabaseException("cannot release the legal hold on meeting " + LogText.escape(meetingId) + ": " + e.getMessage(), e);
        }
    }

    public Optional<Hold> find(String meetingId) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement("SELECT meeting_id, reason, placed_by, placed_at FROM legal_holds WHERE meeting_id = ?")) {
            q.setString(1, meetingId);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Hold(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read legal holds: " + e.getMessage(), e);
        }
    }

    public boolean held(String meetingId) {
        return find(meetingId).isPresent();
    }
}
