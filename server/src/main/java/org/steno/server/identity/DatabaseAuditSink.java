package org.steno.server.identity;

import java.util.Set;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.identity.AuditRecord;
import org.steno.identity.Outcome;
import org.steno.server.http.AuditSink;

/** Writes the guard's decisions into the hash-chained audit log (and thereby to the steno.audit log). */
final class DatabaseAuditSink implements AuditSink {

    private final IdentityRole identity;

    DatabaseAuditSink(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public void decided(Caller caller, Action action, Resource resource, Decision decision, String request) {
        identity.auditLog().append(record(caller, action.name(), resource.toString(), decision.allowed(),
                decision.reason() + "; " + request));
    }

    /** One entry: the caller's roles sorted so the same caller always reads the same. */
    static AuditRecord record(Caller caller, String action, String resource, boolean allowed, String reason) {
        return new AuditRecord(caller.subject(), roles(caller.roles()), caller.remoteAddress(), action, resource,
                allowed ? Outcome.ALLOWED : Outcome.DENIED, reason);
    }

    private static String roles(Set<String> roles) {
        return String.join(",", new java.util.TreeSet<>(roles));
    }
}
