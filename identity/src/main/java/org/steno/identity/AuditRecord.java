package org.steno.identity;

import java.util.Objects;

/**
 * What happened, as the caller knows it: an {@link AuditEntry} without the parts the log
 * assigns (seq, time, hashes). Text is taken as given; {@link AuditLog#append} escapes
 * control characters before storing or logging it.
 *
 * @param subject  who acted: user id, service name or "anonymous"
 * @param role     the roles the caller's credentials granted, comma-separated ("" for none)
 * @param address  where the request came from
 * @param action   what was attempted (an Access action name, "sign-in"…)
 * @param resource what it was attempted on ("meeting:abc")
 * @param outcome  whether it was allowed
 * @param reason   the policy's sentence for the decision
 */
public record AuditRecord(String subject, String role, String address, String action,
                          String resource, Outcome outcome, String reason) {

    public AuditRecord {
        // Null text becomes "" so the canonical encoding never has to represent "absent".
        subject = subject == null ? "" : subject;
        role = role == null ? "" : role;
        address = address == null ? "" : address;
        action = action == null ? "" : action;
        resource = resource == null ? "" : resource;
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }
}
