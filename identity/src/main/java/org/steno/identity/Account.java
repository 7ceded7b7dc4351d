package org.steno.identity;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A platform account as stored: never its password hash, which stays inside {@link Accounts}.
 *
 * @param id          "local:" + username, or "oidc:" + 24 hex digits derived from the issuer and subject
 * @param username    lower case, unique across local and OIDC accounts
 * @param roles       unmodifiable
 * @param source      "local" (password here) or "oidc" (signs in at the identity provider)
 * @param disabled    a disabled account cannot sign in and its sessions are refused
 * @param createdAt   millisecond precision
 */
public record Account(String id, String username, String displayName, Set<PlatformRole> roles,
                      String source, boolean disabled, Instant createdAt) {

    public static final String LOCAL = "local";
    public static final String OIDC = "oidc";

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        EnumSet<PlatformRole> copy = EnumSet.noneOf(PlatformRole.class);
        copy.addAll(Objects.requireNonNull(roles, "roles"));
        roles = Collections.unmodifiableSet(copy);
    }

    public boolean isLocal() {
        return LOCAL.equals(source);
    }

    public boolean has(PlatformRole role) {
        return roles.contains(role);
    }
}
