package org.steno.identity.oidc;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.steno.identity.PlatformRole;

/** Turns verified claims into an {@link OidcIdentity}: names with their fallbacks, and roles. */
final class IdentityClaims {

    private IdentityClaims() {
    }

    static OidcIdentity identity(String issuer, Map<String, Object> claims, String rawIdToken, OidcSettings settings) {
        String subject = text(claims, "sub");
        String email = text(claims, "email");
        // An email the provider says it has not verified names nobody: anyone could set it there to
        // squat a name. Federations such as ProConnect vouch for emails without the claim.
        String verifiedEmail = Boolean.FALSE.equals(claims.get("email_verified")) ? "" : email;
        String preferred = first(text(claims, "preferred_username"), verifiedEmail, subject);
        return new OidcIdentity(issuer, subject, preferred, first(text(claims, "name"), givenAndFamily(claims), preferred),
                email, roles(claims, settings), rawIdToken);
    }

    /**
     * Each value of the role claim found in the role map adds its role, on top of the default
     * roles. The claim may be one string or an array (Keycloak's groups mapper gives an array);
     * values are compared exactly, so a Keycloak full group path {@code /steno-admins} must be
     * mapped as such.
     */
    static Set<PlatformRole> roles(Map<String, Object> claims, OidcSettings settings) {
        EnumSet<PlatformRole> roles = EnumSet.noneOf(PlatformRole.class);
        roles.addAll(settings.defaultRoles());
        if (settings.roleClaim().isEmpty()) {
            return roles;
        }
        Object value = claims.get(settings.roleClaim());
        if (value instanceof String s) {
            add(roles, s, settings);
        } else if (value instanceof Collection<?> values) {
            for (Object v : values) {
                if (v instanceof String s) {
                    add(roles, s, settings);
                }
            }
        }
        return roles;
    }

    private static void add(Set<PlatformRole> roles, String claimValue, OidcSettings settings) {
        PlatformRole role = settings.roleMap().get(claimValue);
        if (role != null) {
            roles.add(role);
        }
    }

    /** ProConnect sends given_name and usual_name, no name; standard providers may send family_name. */
    private static String givenAndFamily(Map<String, Object> claims) {
        String family = first(text(claims, "family_name"), text(claims, "usual_name"));
        return (text(claims, "given_name") + " " + family).trim();
    }

    private static String text(Map<String, Object> claims, String name) {
        return claims.get(name) instanceof String s ? s.trim() : "";
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (!c.isEmpty()) {
                return c;
            }
        }
        return "";
    }
}
