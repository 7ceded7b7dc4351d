package org.steno.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import java.util.Locale;

/**
 * Words for why Nimbus refused a token. Its messages are precise but carry claim values; the
 * user gets one of these reasons and the operator's log gets Nimbus's message. Matched on
 * Nimbus's wording (oauth2-oidc-sdk 11.30, nimbus-jose-jwt 10.10): the tests pin each case,
 * so a change of wording after an upgrade shows up as a failing test, not a vaguer page.
 */
final class TokenRejection {

    private TokenRejection() {
    }

    static String reason(Exception e) {
        if (e instanceof KeySourceException) {
            return "its signing keys could not be fetched from the provider";
        }
        if (!(e instanceof BadJOSEException)) {
            return e instanceof JOSEException ? "it could not be verified" : "it is not valid";
        }
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("invalid signature")) {
            return "its signature does not match the provider's published keys";
        }
        if (m.contains("no matching key")) {
            return "it is signed with a key or algorithm the provider does not publish";
        }
        if (m.contains("expired")) {
            return "it has expired";
        }
        if (m.contains("issue time ahead")) {
            return "its issue time is in the future (check this server's clock)";
        }
        if (m.contains("issuer")) {
            return "it was issued by another provider";
        }
        if (m.contains("audience") || m.contains("azp")) {
            return "it was issued for another application";
        }
        if (m.contains("nonce")) {
            return "it does not belong to this sign-in";
        }
        if (m.contains("subject")) {
            return "it names no user";
        }
        return "it is not valid";
    }
}
