package org.steno.identity.oidc;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.steno.identity.PlatformRole;

/**
 * How Steno signs people in with an OpenID Connect provider (Keycloak, ProConnect, …).
 *
 * @param issuer       the provider's issuer identifier, exactly as its discovery document states it
 *                     ({@code auth.oidc.issuer}); {@code <issuer>/.well-known/openid-configuration} is fetched
 * @param clientId     {@code auth.oidc.client-id}
 * @param clientSecret {@code auth.oidc.client-secret}; never printed by {@link #toString()}
 * @param redirectUri  {@code <public.url>/auth/oidc/callback}, registered with the provider
 * @param scopes       null or empty for {@code openid profile email}; {@code openid} is added if missing
 * @param roleClaim    the claim holding group or role names (e.g. {@code groups}); null or blank for none
 * @param roleMap      claim value to platform role; null for none
 * @param defaultRoles roles everyone who signs in gets (e.g. {@code AGENT}); null or empty for none
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, URI redirectUri,
                           List<String> scopes, String roleClaim, Map<String, PlatformRole> roleMap,
                           Set<PlatformRole> defaultRoles) {

    public static final List<String> DEFAULT_SCOPES = List.of("openid", "profile", "email");

    public OidcSettings {
        if (issuer == null || !issuer.isAbsolute()) {
            throw new IllegalArgumentException("the OIDC issuer (auth.oidc.issuer) must be an absolute URL, got " + issuer);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the OIDC client id (auth.oidc.client-id) is empty");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            throw new IllegalArgumentException("the OIDC client secret (auth.oidc.client-secret) is empty");
        }
        if (redirectUri == null || !redirectUri.isAbsolute()) {
            throw new IllegalArgumentException("the OIDC redirect URI must be absolute (<public.url>/auth/oidc/callback), got " + redirectUri);
        }
        scopes = withOpenid(scopes);
        roleClaim = roleClaim == null ? "" : roleClaim.trim();
        roleMap = roleMap == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(roleMap));
        defaultRoles = roles(defaultRoles);
    }

    /**
     * Parses {@code "steno-admins=admin,steno-auditors=auditor"}: comma-separated
     * {@code claim-value=role} entries, spaces around either side ignored, blank for none. A claim
     * value cannot contain a comma; the last {@code =} separates it from the role.
     */
    public static Map<String, PlatformRole> parseRoleMap(String spec) {
        Map<String, PlatformRole> map = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return Collections.unmodifiableMap(map);
        }
        for (String raw : spec.split(",", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("the role map \"" + spec + "\" has an empty entry: write claim-value=role, separated by commas");
            }
            int eq = entry.lastIndexOf('=');
            String value = eq < 0 ? "" : entry.substring(0, eq).trim();
            String role = eq < 0 ? "" : entry.substring(eq + 1).trim();
            if (value.isEmpty() || role.isEmpty()) {
                throw new IllegalArgumentException("the role map entry \"" + entry + "\" is not claim-value=role, e.g. steno-admins=admin");
            }
            PlatformRole parsed;
            try {
                parsed = PlatformRole.parse(role);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the role map entry \"" + entry + "\" names an unknown role \"" + role
                        + "\": expected admin, agent or auditor", e);
            }
            if (map.putIfAbsent(value, parsed) != null) {
                throw new IllegalArgumentException("the role map gives \"" + value + "\" twice; one claim value maps to one role");
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** Everything but the secret: settings end up in startup logs and exception messages. */
    @Override
    public String toString() {
        return "OidcSettings[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=***, redirectUri=" + redirectUri
                + ", scopes=" + scopes + ", roleClaim=" + roleClaim + ", roleMap=" + roleMap + ", defaultRoles=" + defaultRoles + "]";
    }

    private static List<String> withOpenid(List<String> scopes) {
        if (scopes == null || scopes.isEmpty()) {
            return DEFAULT_SCOPES;
        }
        List<String> out = new ArrayList<>();
        for (String s : scopes) {
            if (s != null && !s.isBlank() && !out.contains(s.trim())) {
                out.add(s.trim());
            }
        }
        // Without openid the provider runs plain OAuth 2.0: no ID token, nothing to verify.
        if (!out.contains("openid")) {
            out.add(0, "openid");
        }
        return List.copyOf(out);
    }

    static Set<PlatformRole> roles(Collection<PlatformRole> roles) {
        EnumSet<PlatformRole> set = EnumSet.noneOf(PlatformRole.class);
        if (roles != null) {
            set.addAll(roles);
        }
        return Collections.unmodifiableSet(set);
    }
}
