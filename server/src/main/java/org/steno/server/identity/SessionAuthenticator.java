package org.steno.server.identity;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.stream.Collectors;
import org.steno.identity.Account;
import org.steno.identity.PlatformRole;
import org.steno.identity.Session;
import org.steno.server.http.Authenticator;

/** Who is signed in: the session the cookie names, and its account (disabled accounts have no sessions). */
final class SessionAuthenticator implements Authenticator {

    private final IdentityRole identity;

    SessionAuthenticator(IdentityRole identity) {
        this.identity = identity;
    }

    @Override
    public Optional<SignedIn> signedIn(Context ctx) {
        String token = SessionCookie.read(ctx);
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Optional<Session> session = identity.sessions().resolve(token);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        return identity.accounts().find(session.get().accountId()).map(a -> signedIn(a, session.get()));
    }

    static SignedIn signedIn(Account a, Session s) {
        return new SignedIn(a.id(), a.username(), a.displayName(),
                a.roles().stream().map(PlatformRole::id).collect(Collectors.toSet()), s.csrfToken());
    }
}
