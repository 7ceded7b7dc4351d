package org.steno.server.identity;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.meeting.Participant;

/**
 * Records each signed-in account that enters a meeting's room, so it may find and open that
 * meeting's archive afterwards. Guests (no account) and Steno's own participants (replayed
 * files) are not accounts and are not recorded.
 */
final class AttendanceRecorder implements MeetingListener {

    private static final Logger LOG = LoggerFactory.getLogger(AttendanceRecorder.class);

    private final IdentityRole identity;
    private final Clock clock;

    AttendanceRecorder(IdentityRole identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    @Override
    public void participantJoined(Meeting meeting, Participant p) {
        String account = MeetingPresenceAudit.accountOf(p.identity());
        if (!isAccount(account)) {
            return;
        }
        try {
            identity.attendance().record(meeting.id(), account, clock.instant());
        } catch (RuntimeException e) {
            // Never break a meeting for its record; the person can still be given access by an auditor.
            LOG.warn("could not record that {} attended meeting {}: {}", account, meeting.id(), e.getMessage());
        }
    }

    /** Account ids are {@code local:<username>} or {@code oidc:<hash>}; guests are {@code guest}. */
    static boolean isAccount(String id) {
        return id.startsWith("local:") || id.startsWith("oidc:");
    }
}
