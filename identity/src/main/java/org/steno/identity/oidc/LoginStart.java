package org.steno.identity.oidc;

import java.net.URI;

/**
 * Where to send the browser to sign in, and the state that will come back on the callback.
 * The URL carries only the PKCE challenge and the nonce, never the verifier or a secret.
 */
public record LoginStart(URI authorizationUrl, String state) {
}
