package org.steno.server.identity;

import java.util.Set;
import org.steno.access.Caller;
import org.steno.conference.meeting.LeaveReason;
import org.steno.conference.meeting.Meeting;
import org.steno.conference.meeting.MeetingListener;
import org.steno.conference.meeting.Participant;

/**
 * Who was in a meeting, and until when: an audit entry when a participant's socket joins the
 * meeting and when they leave it (the join request itself is the guard's entry). The subject is
 * the account (or {@code guest}) their join token was issued to.
 */
final class MeetingPresenceAudit implements MeetingListener {

    private final IdentityRole identity;

    MeetingPresenceAudit(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public void participantJoined(Meeting meeting, Participant p) {
        append(meeting, p, "ENTER_MEETING", p.role().name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void participantLeft(Meeting meeting, Participant p, LeaveReason reason) {
        append(meeting, p, "LEAVE_MEETING", reason.name().toLowerCase(java.util.Locale.ROOT));
    }

    private void append(Meeting meeting, Participant p, String action, String reason) {
        try {
            identity.auditLog().append(DatabaseAuditSink.record(new Caller(accountOf(p.identity()), Set.of(), "", Caller.Channel.WEBSOCKET),
                    action, "meeting:" + meeting.id(), true, reason + "; participant " + p.id()));
        } catch (RuntimeException e) {
            // Never break a meeting for its audit trail; the failure is logged by the database layer.
            org.slf4j.LoggerFactory.getLogger(MeetingPresenceAudit.class).warn("audit of {} failed: {}", action, e.getMessage());
        }
    }

    /** {@code local:alice:9f3a…} (one join of alice) → {@code local:alice}; {@code guest:…} → {@code guest}. */
    static String accountOf(String identity) {
        int last = identity.lastIndexOf(':');
        return last <= 0 ? identity : identity.substring(0, last);
    }
}
