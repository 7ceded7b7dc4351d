package org.steno.identity.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.time.Duration;
import org.steno.identity.LogText;

/** The provider calls share one rule set: a timeout on connect and on read, no redirects. */
final class ProviderHttp {

    private ProviderHttp() {
    }

    static int millis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /**
     * Redirects are not followed: a token request re-sent to wherever a 30x points would carry
     * the client secret and the code there, and a provider that moved should be reconfigured.
     */
    static HTTPResponse send(HTTPRequest request, int timeoutMillis, String doing) throws OidcException {
        request.setConnectTimeout(timeoutMillis);
        request.setReadTimeout(timeoutMillis);
        request.setFollowRedirects(false);
        try {
            return request.send();
        } catch (IOException e) {
            throw new OidcException("cannot reach the sign-in provider " + doing + ": " + reason(e), e);
        }
    }

    /** The exception's own words (e.g. "Connection refused", "Read timed out"), on one line. */
    static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : LogText.escape(message);
    }
}
