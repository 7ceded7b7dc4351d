package org.steno.identity.oidc;

/**
 * Signing in with the OIDC provider failed. {@link #getMessage()} is one sentence the user's
 * error page can show as is (after HTML escaping): it names what went wrong and never contains
 * the authorization code, a token or the client secret. Details for the operator are logged.
 */
public final class OidcException extends Exception {
    public OidcException(String sentence) {
        super(sentence);
    }

    public OidcException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
