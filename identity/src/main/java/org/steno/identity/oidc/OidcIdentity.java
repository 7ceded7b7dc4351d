package org.steno.identity.oidc;

import java.util.Set;
import org.steno.identity.PlatformRole;

/**
 * Who signed in, as verified from the provider's ID token (and its UserInfo answer, when it has one).
 * Key accounts on {@code (issuer, subject)}: the names and the email are the provider's display
 * data and may change or, at some providers, be chosen by the user.
 *
 * @param preferredUsername {@code preferred_username}, else {@code email}, else {@code sub}
 * @param displayName       {@code name}, else given name and family (or usual) name, else {@code preferredUsername}
 * @param email             {@code email}, or {@code ""}
 * @param idToken           the raw ID token, kept server-side as the logout {@code id_token_hint};
 *                          left out of {@link #toString()}
 */
public record OidcIdentity(String issuer, String subject, String preferredUsername, String displayName, String email,
                           Set<PlatformRole> roles, String idToken) {

    public OidcIdentity {
        roles = OidcSettings.roles(roles);
    }

    @Override
    public String toString() {
        return "OidcIdentity[issuer=" + issuer + ", subject=" + subject + ", preferredUsername=" + preferredUsername
                + ", displayName=" + displayName + ", email=" + email + ", roles=" + roles + ", idToken=***]";
    }
}
