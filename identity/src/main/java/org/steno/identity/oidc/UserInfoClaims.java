package org.steno.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.util.DateUtils;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.identity.LogText;

/**
 * The provider's UserInfo answer. Some providers put only {@code sub} in the ID token and the
 * profile here: ProConnect sends given_name, usual_name, email and uid only from UserInfo, as
 * a signed JWT ({@code application/jwt}). A signed answer is verified with the same keys as the
 * ID token; a plain JSON answer is trusted because it came straight from the provider over the
 * back channel with the access token (OpenID Connect Core 5.3.2). Either way its {@code sub}
 * must be the ID token's.
 */
final class UserInfoClaims {

    private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);
    private static final long MAX_SKEW_SECONDS = OidcClient.MAX_CLOCK_SKEW_SECONDS;

    private final URI endpoint;
    private final String issuer;
    private final String clientId;
    private final DefaultJWTProcessor<SecurityContext> jwtProcessor = new DefaultJWTProcessor<>();
    private final int timeoutMillis;

    UserInfoClaims(URI endpoint, String issuer, String clientId, JWSKeySelector<SecurityContext> keys, int timeoutMillis) {
        this.endpoint = endpoint;
        this.issuer = issuer;
        this.clientId = clientId;
        this.timeoutMillis = timeoutMillis;
        jwtProcessor.setJWSKeySelector(keys);
        jwtProcessor.setJWTClaimsSetVerifier((claims, context) -> check(claims));
    }

    Map<String, Object> fetch(AccessToken accessToken, String expectedSubject) throws OidcException {
        UserInfoResponse response;
        try {
            response = UserInfoResponse.parse(ProviderHttp.send(new UserInfoRequest(endpoint, accessToken).toHTTPRequest(), timeoutMillis,
                    "to read the user's profile"));
        } catch (ParseException e) {
            LOG.warn("the OIDC provider's UserInfo answer could not be parsed: {}", ProviderHttp.reason(e));
            throw new OidcException("the sign-in provider sent an unreadable user profile; start again", e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            LOG.warn("the OIDC provider refused the UserInfo request: HTTP {} {} {}", error.getHTTPStatusCode(),
                    LogText.escape(error.getCode()), LogText.escape(error.getDescription()));
            throw new OidcException("the sign-in provider refused to give the user's profile (" + OidcClient.safeCode(error.getCode())
                    + "); start again");
        }
        UserInfoSuccessResponse success = response.toSuccessResponse();
        Map<String, Object> claims = success.getUserInfo() != null ? success.getUserInfo().toJSONObject() : verified(success.getUserInfoJWT());
        if (!expectedSubject.equals(claims.get("sub"))) {
            throw new OidcException("the sign-in provider's user profile is not for the user its ID token names; start again");
        }
        return claims;
    }

    private Map<String, Object> verified(JWT jwt) throws OidcException {
        if (!(jwt instanceof SignedJWT signed)) {
            throw new OidcException("the sign-in provider sends the user profile encrypted or unsigned, which Steno does not accept;"
                    + " register the client with a signed (RS256 or ES256) or plain JSON UserInfo response");
        }
        try {
            return jwtProcessor.process(signed, null).getClaims();
        } catch (BadJOSEException | JOSEException e) {
            LOG.warn("the OIDC provider's signed UserInfo answer was refused: {}", ProviderHttp.reason(e));
            throw new OidcException("the sign-in provider's user profile was refused: " + TokenRejection.reason(e) + "; start again", e);
        }
    }

    /** OpenID Connect Core 5.3.2: a signed answer SHOULD carry iss and aud; when present they must be ours. */
    private void check(JWTClaimsSet claims) throws BadJWTException {
        if (claims.getSubject() == null) {
            throw new BadJWTException("Missing JWT subject (sub) claim");
        }
        if (claims.getIssuer() != null && !claims.getIssuer().equals(issuer)) {
            throw new BadJWTException("Unexpected JWT issuer: " + claims.getIssuer());
        }
        List<String> audience = claims.getAudience();
        if (!audience.isEmpty() && !audience.contains(clientId)) {
            throw new BadJWTException("Unexpected JWT audience: " + audience);
        }
        Date exp = claims.getExpirationTime();
        if (exp != null && !DateUtils.isAfter(exp, new Date(), MAX_SKEW_SECONDS)) {
            throw new BadJWTException("Expired JWT");
        }
    }
}
