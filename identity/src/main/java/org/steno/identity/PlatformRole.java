package org.steno.identity;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an account may do on the platform as a whole, independent of any meeting. Stored by
 * {@link #id()}, so renaming a constant is fine but changing an id needs a migration.
 */
public enum PlatformRole {
    /** Manages accounts, settings and everything else. */
    ADMIN("admin"),
    /** Runs meetings on behalf of others (creates them, records, exports transcripts). */
    AGENT("agent"),
    /** Reads the audit log and exports it; changes nothing. */
    AUDITOR("auditor");

    private final String id;

    PlatformRole(String id) {
        this.id = id;
    }

    /** The lower-case name used in the database, configuration and the audit log. */
    public String id() {
        return id;
    }

    /** A role by its id, ignoring case and surrounding spaces. */
    public static PlatformRole parse(String s) {
        if (s != null) {
            String wanted = s.strip().toLowerCase(Locale.ROOT);
            for (PlatformRole r : values()) {
                if (r.id.equals(wanted)) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown platform role " + (s == null ? "null" : "\"" + LogText.escape(s) + "\"")
                + ": the roles are " + Arrays.stream(values()).map(PlatformRole::id).collect(Collectors.joining(", ")));
    }

    /** {@code "admin,agent"} → {ADMIN, AGENT}; {@code ""} (or only spaces) → the empty set. */
    public static Set<PlatformRole> parseList(String commaSeparated) {
        EnumSet<PlatformRole> roles = EnumSet.noneOf(PlatformRole.class);
        if (commaSeparated != null && !commaSeparated.isBlank()) {
            for (String part : commaSeparated.split(",", -1)) {
                roles.add(parse(part));
            }
        }
        return Collections.unmodifiableSet(roles);
    }

    /** The stored form: ids in declaration order, comma-separated, "" for none. */
    static String format(Set<PlatformRole> roles) {
        return roles.stream().sorted().map(PlatformRole::id).collect(Collectors.joining(","));
    }
}
