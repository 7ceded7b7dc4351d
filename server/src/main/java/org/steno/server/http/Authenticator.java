package org.steno.server.http;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/** Who is signed in behind a request: the session its cookie names, if it is still valid. */
@FunctionalInterface
public interface Authenticator {

    /** Nobody is ever signed in: a process that keeps no accounts. */
    Authenticator NONE = ctx -> Optional.empty();

    Optional<SignedIn> signedIn(Context ctx);

    /**
     * A signed-in account as the policy and the handlers see it.
     *
     * @param accountId   stable id ({@code local:alice}, {@code oidc:…}): the audit log's subject
     * @param roles       platform roles ({@code admin}, {@code agent}, {@code auditor})
     * @param csrfToken   the session's anti-forgery token, which state-changing requests must echo
     */
    record SignedIn(String accountId, String username, String displayName, Set<String> roles, String csrfToken) {
        public SignedIn {
            roles = Set.copyOf(roles);
        }

        @Override
        public String toString() {
            return "SignedIn[" + accountId + " " + roles + "]"; // never the CSRF token
        }
    }
}
