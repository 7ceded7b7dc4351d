-- Who was in which meeting (MeetingAttendance): the signed-in accounts that entered a meeting's
-- room, so an agent can find and open the archive of meetings they attended. Guests have no
-- account and are not recorded here (the audit log has every entry and exit). Numbered 5:
-- V4 is left to the meeting access levels of another change. Same shared-SQL rule as V1.
CREATE TABLE meeting_attendance (
    meeting_id    VARCHAR                  NOT NULL,
    account_id    VARCHAR                  NOT NULL,
    first_seen_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (meeting_id, account_id)
);

-- meetingsOf(accountId): every meeting an account attended.
CREATE INDEX meeting_attendance_account ON meeting_attendance (account_id);
