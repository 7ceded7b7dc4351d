package org.steno.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Retention periods an administrator set (table {@code retention_settings}): the platform's, and a
 * meeting's own. A missing period follows the next level; the archive's configuration is the last.
 */
public final class RetentionSettings {

    /** Longest period accepted: a hundred years. Longer is a mistake, not a policy. */
    public static final int MAX_DAYS = 36_500;
    private static final String PLATFORM = "*";

    /** Periods in days, each null when it follows the next level; who set them and when. */
    public record Periods(Integer recordingsDays, Integer transcriptsDays, String setBy, Instant setAt) {
        public Periods {
            check("recordingsDays", recordingsDays);
            check("transcriptsDays", transcriptsDays);
            Objects.requireNonNull(setBy, "setBy");
            Objects.requireNonNull(setAt, "setAt");
        }

        private static void check(String what, Integer days) {
            if (days != null && (days < 1 || days > MAX_DAYS)) {
                throw new IllegalArgumentException(what + " must be 1 to " + MAX_DAYS + " days, got " + days);
            }
        }
    }

    private final Database database;

    public RetentionSettings(Database database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    public Optional<Periods> platform() {
        return find(PLATFORM);
    }

    public Optional<Periods> meeting(String meetingId) {
        return find(requireMeeting(meetingId));
    }

    /** Sets the platform's periods; both null removes them (the configuration applies again). */
    public Periods setPlatform(Integer recordingsDays, Integer transcriptsDays, String by, Instant at) {
        return set(PLATFORM, recordingsDays, transcriptsDays, by, at);
    }

    /** Sets a meeting's own periods; both null removes them (the platform's apply again). */
    public Periods setMeeting(String meetingId, Integer recordingsDays, Integer transcriptsDays, String by, Instant at) {
        return set(requireMeeting(meetingId), recordingsDays, transcriptsDays, by, at);
    }

    private Periods set(String scope, Integer recordingsDays, Integer transcriptsDays, String by, Instant at) {
        Periods p = new Periods(recordingsDays, transcriptsDays, by, at.truncatedTo(ChronoUnit.MILLIS));
        for (int attempt = 1; ; attempt++) {
            try {
                write(scope, p);
                return p;
            } catch (SQLException e) {
                // Two administrators saving the same scope at once: the second INSERT meets the first's row; once more updates it.
                boolean race = "23505".equals(e.getSQLState()) || e instanceof java.sql.SQLIntegrityConstraintViolationException;
                if (!race || attempt == 2) {
                    throw new DatabaseException("cannot set the retention of " + (scope.equals(PLATFORM) ? "the platform"
                            : "meeting " + LogText.escape(scope)) + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Updates the scope's row, or inserts it; both periods null removes it. */
    private void write(String scope, Periods p) throws SQLException {
        try (Connection c = database.connection()) {
            if (p.recordingsDays() == null && p.transcriptsDays() == null) {
                try (PreparedStatement d = c.prepareStatement("DELETE FROM retention_settings WHERE scope = ?")) {
                    d.setString(1, scope);
                    d.executeUpdate();
                }
                return;
            }
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE retention_settings SET recordings_days = ?, transcripts_days = ?, set_by = ?, set_at = ? WHERE scope = ?")) {
                setDays(u, 1, p.recordingsDays());
                setDays(u, 2, p.transcriptsDays());
                u.setString(3, p.setBy());
                u.setObject(4, OffsetDateTime.ofInstant(p.setAt(), ZoneOffset.UTC));
                u.setString(5, scope);
                if (u.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO retention_settings (scope, recordings_days, transcripts_days, set_by, set_at) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, scope);
                setDays(s, 2, p.recordingsDays());
                setDays(s, 3, p.transcriptsDays());
                s.setString(4, p.setBy());
                s.setObject(5, OffsetDateTime.ofInstant(p.setAt(), ZoneOffset.UTC));
                s.executeUpdate();
            }
        }
    }

    private Optional<Periods> find(String scope) {
        try (Connection c = database.connection();
             PreparedStatement q = c.prepareStatement(
                     "SELECT recordings_days, transcripts_days, set_by, set_at FROM retention_settings WHERE scope = ?")) {
            q.setString(1, scope);
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Periods(days(rs, 1), days(rs, 2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant()));
            }
        } catch (SQLException e) {
            throw new DatabaseException("cannot read retention settings: " + e.getMessage(), e);
        }
    }

    private static void setDays(PreparedStatement s, int i, Integer days) throws SQLException {
        if (days == null) {
            s.setNull(i, Types.INTEGER);
        } else {
            s.setInt(i, days);
        }
    }

    private static Integer days(ResultSet rs, int i) throws SQLException {
        int d = rs.getInt(i);
        return rs.wasNull() ? null : d;
    }

    private static String requireMeeting(String meetingId) {
        if (meetingId == null || meetingId.isEmpty() || meetingId.equals(PLATFORM)) {
            throw new IllegalArgumentException("not a meeting id: " + meetingId);
        }
        return meetingId;
    }
}
