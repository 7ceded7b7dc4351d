package org.steno.server.config;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Accounts, sessions and sign-in settings ({@code db.*}, {@code auth.*}, {@code http.trusted-proxies}).
 *
 * @param dbUrl      JDBC URL of PostgreSQL; empty for the embedded H2 file under data.dir
 * @param oidcIssuer null when sign-in goes through local accounts only
 */
public record IdentitySettings(String dbUrl, String dbUser, String dbPassword,
                               Duration sessionIdleTimeout, Duration sessionMaxAge,
                               URI oidcIssuer, String oidcClientId, String oidcClientSecret,
                               String oidcRoleClaim, String oidcRoleMap, String oidcDefaultRoles,
                               Set<String> trustedProxies) {

    public IdentitySettings {
        trustedProxies = Set.copyOf(trustedProxies);
    }

    public boolean embeddedDatabase() {
        return dbUrl.isEmpty();
    }

    public boolean oidc() {
        return oidcIssuer != null;
    }

    /** Never prints the database password or the client secret. */
    @Override
    public String toString() {
        return "IdentitySettings[db=" + (dbUrl.isEmpty() ? "embedded" : dbUrl.replaceAll("\\?.*", "?…")) + ", oidc=" + oidcIssuer + "]";
    }
}
