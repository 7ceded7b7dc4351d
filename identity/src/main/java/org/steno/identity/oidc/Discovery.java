package org.steno.identity.oidc;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fetches and checks the provider's discovery document (OpenID Connect Discovery 1.0, section 4). */
final class Discovery {

    private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);

    private Discovery() {
    }

    static URI documentUrl(URI issuer) {
        String base = issuer.toString();
        // The document lives under the issuer's path: strip one trailing slash, then append (section 4).
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/.well-known/openid-configuration");
    }

    static OIDCProviderMetadata fetch(URI issuer, int timeoutMillis) throws OidcException {
        URI url = documentUrl(issuer);
        warnIfPlainHttp(issuer);
        HTTPResponse response = ProviderHttp.send(new HTTPRequest(HTTPRequest.Method.GET, url), timeoutMillis,
                "at " + url + " to read its discovery document");
        if (response.getStatusCode() != 200) {
            throw new OidcException("the sign-in provider answered HTTP " + response.getStatusCode() + " for its discovery document " + url
                    + "; check auth.oidc.issuer");
        }
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.parse(response.getBodyAsJSONObject());
        } catch (ParseException e) {
            throw new OidcException("the discovery document at " + url + " is not valid OpenID Connect provider metadata: "
                    + ProviderHttp.reason(e), e);
        }
        // Exact string comparison (section 4.3): the ID tokens' iss is checked against this same
        // value, so a near miss (trailing slash, http vs https) would fail every sign-in later.
        String stated = metadata.getIssuer().getValue();
        if (!stated.equals(issuer.toString())) {
            throw new OidcException("the discovery document at " + url + " names the issuer " + stated + ", not the configured "
                    + issuer + "; set auth.oidc.issuer to exactly " + stated);
        }
        if (metadata.getTokenEndpointURI() == null) {
            throw new OidcException("the discovery document at " + url + " has no token_endpoint, so sign-in cannot finish");
        }
        if (metadata.getCodeChallengeMethods() != null
                && metadata.getCodeChallengeMethods().stream().noneMatch(m -> "S256".equals(m.getValue()))) {
            LOG.warn("the OIDC provider {} does not list PKCE S256; Steno sends it anyway and a provider that ignores it loses that protection",
                    issuer);
        }
        return metadata;
    }

    private static void warnIfPlainHttp(URI issuer) {
        if (!"http".equalsIgnoreCase(issuer.getScheme())) {
            return;
        }
        try {
            if (InetAddress.getByName(issuer.getHost()).isLoopbackAddress()) {
                return;
            }
        } catch (UnknownHostException e) {
            // The fetch reports it in one sentence.
            return;
        }
        LOG.warn("the OIDC issuer {} is plain http: the client secret, codes and tokens cross the network unencrypted; use https", issuer);
    }
}
