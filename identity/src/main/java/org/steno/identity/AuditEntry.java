package org.steno.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * One stored audit entry. {@code hash} is {@link AuditChain#hash} of every other field,
 * {@code prevHash} included, so each entry commits to the whole history before it.
 *
 * @param seq      1-based position in the log, assigned by {@link AuditLog}
 * @param time     when it was appended, millisecond precision
 * @param prevHash the previous entry's hash, {@link #GENESIS} for entry 1
 * @param hash     lowercase hex SHA-256
 */
public record AuditEntry(long seq, Instant time, String subject, String role, String address,
                         String action, String resource, Outcome outcome, String reason,
                         String prevHash, String hash) {

    /** prevHash of the first entry: there is nothing before it to chain to. */
    public static final String GENESIS = "0".repeat(64);

    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }
}
