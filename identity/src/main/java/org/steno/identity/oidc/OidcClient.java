package org.steno.identity.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.identity.LogText;

/**
 * Steno as an OpenID Connect relying party: authorization code flow with PKCE (S256), a fresh
 * state and nonce per sign-in, the ID token verified against the provider's published keys.
 * One instance per configured provider, shared by all requests (thread-safe).
 *
 * <p>Token times (exp, iat, 60 s skew) are checked by Nimbus against the system clock, which
 * it offers no way to replace; the injected {@link Clock} times the pending sign-ins.
 */
public final class OidcClient implements AutoCloseable {

    static final int MAX_PENDING = 10_000;
    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    static final int MAX_CLOCK_SKEW_SECONDS = 60;

    static final String EXPIRED = "this sign-in link has expired or was already used; start again";

    private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);
    /** Symmetric algorithms would verify with the client secret, which is not ours alone: excluded. */
    private static final Set<JWSAlgorithm> ASYMMETRIC = new LinkedHashSet<>();

    static {
        ASYMMETRIC.addAll(JWSAlgorithm.Family.RSA);
        ASYMMETRIC.addAll(JWSAlgorithm.Family.EC);
        ASYMMETRIC.addAll(JWSAlgorithm.Family.ED);
    }

    private final OidcSettings settings;
    private final OIDCProviderMetadata provider;
    private final int timeoutMillis;
    private final PendingLogins pending;
    private final ClientAuthentication clientAuth;
    private final JWKSource<SecurityContext> keys;
    private final IDTokenValidator idTokens;
    private final UserInfoClaims userInfo;
    private volatile boolean closed;

    private OidcClient(OidcSettings settings, OIDCProviderMetadata provider, Duration timeout, Clock clock) throws OidcException {
        this.settings = settings;
        this.provider = provider;
        this.timeoutMillis = ProviderHttp.millis(timeout);
        this.pending = new PendingLogins(MAX_PENDING, PENDING_TTL, clock);
        this.clientAuth = clientAuthentication(settings, provider);
        this.keys = jwkSource(provider, timeoutMillis);
        JWSVerificationKeySelector<SecurityContext> keySelector = new JWSVerificationKeySelector<>(algorithms(provider), keys);
        this.idTokens = new IDTokenValidator(provider.getIssuer(), new ClientID(settings.clientId()), keySelector, null);
        this.idTokens.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        this.userInfo = provider.getUserInfoEndpointURI() == null ? null
                : new UserInfoClaims(provider.getUserInfoEndpointURI(), provider.getIssuer().getValue(), settings.clientId(), keySelector,
                        timeoutMillis);
    }

    /**
     * Reads {@code <issuer>/.well-known/openid-configuration} and checks that it names the
     * configured issuer. {@code timeout} bounds each connect and each read of every call to
     * the provider (discovery, token, keys, UserInfo).
     */
    public static OidcClient discover(OidcSettings settings, Duration timeout, Clock clock) throws OidcException {
        OIDCProviderMetadata metadata = Discovery.fetch(settings.issuer(), ProviderHttp.millis(timeout));
        return new OidcClient(settings, metadata, timeout, clock);
    }

    /** Starts a sign-in: where to redirect the browser. The state stays valid for 10 minutes, once. */
    public LoginStart begin() {
        ensureOpen();
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        pending.add(state.getValue(), nonce, verifier);
        URI url = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
                new ClientID(settings.clientId()), settings.redirectUri())
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
        return new LoginStart(url, state.getValue());
    }

    /**
     * Finishes a sign-in from the callback's {@code state}, {@code code} and {@code error}
     * parameters. The state is consumed first, whatever happens next: a callback can be used once.
     */
    public OidcIdentity complete(String state, String code, String error) throws OidcException {
        ensureOpen();
        PendingLogins.Pending started = pending.take(state);
        if (started == null) {
            throw new OidcException(EXPIRED);
        }
        if (error != null) {
            throw new OidcException(providerError(error));
        }
        if (code == null || code.isBlank()) {
            throw new OidcException("the sign-in provider sent back no sign-in code; start again");
        }
        OIDCTokens tokens = exchange(code, started.verifier());
        Map<String, Object> claims = verifiedClaims(tokens.getIDToken(), started.nonce());
        if (userInfo != null && tokens.getAccessToken() != null) {
            // The ID token's claims win: they are the signed statement about this sign-in.
            Map<String, Object> merged = new HashMap<>(userInfo.fetch(tokens.getAccessToken(), (String) claims.get("sub")));
            merged.putAll(claims);
            claims = merged;
        }
        return IdentityClaims.identity(provider.getIssuer().getValue(), claims, tokens.getIDTokenString(), settings);
    }

    /**
     * The provider's end-session URL (OpenID Connect RP-Initiated Logout) with the ID token
     * as hint, or empty if the provider advertises none. A fresh random state is added because
     * some providers (ProConnect) require one; it comes back on the post-logout redirect and
     * protects nothing there, so Steno does not check it.
     */
    public Optional<URI> logoutUrl(String idTokenHint, URI postLogoutRedirect) {
        URI endSession = provider.getEndSessionEndpointURI();
        if (endSession == null) {
            return Optional.empty();
        }
        JWT hint = null;
        if (idTokenHint != null && !idTokenHint.isBlank()) {
            try {
                hint = JWTParser.parse(idTokenHint);
            } catch (java.text.ParseException e) {
                LOG.warn("the stored ID token is not a JWT; logging out at the OIDC provider without id_token_hint");
            }
        }
        // Without a hint, client_id tells the provider whose post-logout redirect to check (Keycloak insists on one of the two).
        ClientID clientId = hint == null ? new ClientID(settings.clientId()) : null;
        // A state only makes sense with somewhere to come back to (Nimbus refuses it alone).
        State state = postLogoutRedirect == null ? null : new State();
        return Optional.of(new LogoutRequest(endSession, hint, null, clientId, postLogoutRedirect, state, null).toURI());
    }

    @Override
    public void close() {
        closed = true;
        pending.clear();
        if (keys instanceof Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                LOG.debug("closing the OIDC key source failed", e);
            }
        }
    }

    /** How many sign-ins are started and not finished (expired ones may still be counted). */
    int pendingSignIns() {
        return pending.size();
    }

    private OIDCTokens exchange(String code, CodeVerifier verifier) throws OidcException {
        TokenRequest request = new TokenRequest.Builder(provider.getTokenEndpointURI(), clientAuth,
                new AuthorizationCodeGrant(new AuthorizationCode(code), settings.redirectUri(), verifier)).build();
        TokenResponse response;
        try {
            response = OIDCTokenResponseParser.parse(ProviderHttp.send(request.toHTTPRequest(), timeoutMillis, "to finish the sign-in"));
        } catch (ParseException e) {
            LOG.warn("the OIDC provider's token response could not be parsed: {}", ProviderHttp.reason(e));
            throw new OidcException("the sign-in provider sent an unreadable answer when finishing the sign-in; start again", e);
        }
        if (!response.indicatesSuccess()) {
            ErrorObject e = response.toErrorResponse().getErrorObject();
            LOG.warn("the OIDC provider refused the token request: HTTP {} {} {}", e.getHTTPStatusCode(), LogText.escape(e.getCode()),
                    LogText.escape(e.getDescription()));
            throw new OidcException("the sign-in provider refused to finish the sign-in (" + safeCode(e.getCode()) + "); start again");
        }
        if (!(response instanceof OIDCTokenResponse oidc) || oidc.getOIDCTokens().getIDToken() == null) {
            throw new OidcException("the sign-in provider sent no ID token; check that the scopes include openid");
        }
        return oidc.getOIDCTokens();
    }

    private Map<String, Object> verifiedClaims(JWT idToken, Nonce nonce) throws OidcException {
        try {
            return idTokens.validate(idToken, nonce).toJWTClaimsSet().getClaims();
        } catch (BadJOSEException | JOSEException e) {
            LOG.warn("the OIDC provider's ID token was refused: {}", ProviderHttp.reason(e));
            throw new OidcException("the sign-in provider's ID token was refused: " + TokenRejection.reason(e) + "; start again", e);
        } catch (ParseException e) {
            throw new OidcException("the sign-in provider's ID token was refused: it is not valid; start again", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the OIDC client is closed");
        }
    }

    private static String providerError(String error) {
        String code = safeCode(error);
        if ("access_denied".equals(code)) {
            return "the sign-in was cancelled or refused at the sign-in provider (access_denied)";
        }
        return "the sign-in provider reported an error (" + code + "); start again";
    }

    /**
     * An error code fit to print: the callback's error comes from the browser's query string,
     * anyone can put anything there. OAuth error codes are short ASCII words.
     */
    static String safeCode(String code) {
        if (code == null) {
            return "no error code";
        }
        String kept = code.replaceAll("[^A-Za-z0-9_.\\-]", "");
        kept = kept.length() > 64 ? kept.substring(0, 64) : kept;
        return kept.isEmpty() ? "unreadable error code" : kept;
    }

    /**
     * client_secret_basic, the default of OAuth 2.0 and of the discovery document when it lists
     * nothing; client_secret_post when the provider lists only that (ProConnect does).
     */
    private static ClientAuthentication clientAuthentication(OidcSettings settings, OIDCProviderMetadata provider) throws OidcException {
        ClientID id = new ClientID(settings.clientId());
        Secret secret = new Secret(settings.clientSecret());
        List<ClientAuthenticationMethod> methods = provider.getTokenEndpointAuthMethods();
        if (methods == null || methods.isEmpty() || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)) {
            return new ClientSecretBasic(id, secret);
        }
        if (methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST)) {
            return new ClientSecretPost(id, secret);
        }
        throw new OidcException("the sign-in provider " + provider.getIssuer() + " accepts neither client_secret_basic nor client_secret_post"
                + " at its token endpoint (it lists " + methods + "); Steno authenticates with a client secret only");
    }

    private static Set<JWSAlgorithm> algorithms(OIDCProviderMetadata provider) throws OidcException {
        Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
        List<JWSAlgorithm> advertised = provider.getIDTokenJWSAlgs();
        for (JWSAlgorithm alg : advertised == null ? List.<JWSAlgorithm>of() : advertised) {
            if (ASYMMETRIC.contains(alg)) {
                accepted.add(alg);
            }
        }
        if (accepted.isEmpty()) {
            throw new OidcException("the sign-in provider " + provider.getIssuer() + " signs ID tokens only with " + advertised
                    + "; register the client with RS256 or ES256");
        }
        return accepted;
    }

    /**
     * The provider's JWK set, cached for 5 minutes; a token signed with a kid not in the cache
     * makes it fetch the set again (key rotation), at most twice per 30 seconds so forged kids
     * cannot turn sign-in attempts into a flood against the provider.
     */
    private static JWKSource<SecurityContext> jwkSource(OIDCProviderMetadata provider, int timeoutMillis) throws OidcException {
        if (provider.getJWKSetURI() == null) {
            throw new OidcException("the discovery document of " + provider.getIssuer() + " has no jwks_uri, so ID tokens cannot be verified");
        }
        try {
            return JWKSourceBuilder.<SecurityContext>create(provider.getJWKSetURI().toURL(),
                            new DefaultResourceRetriever(timeoutMillis, timeoutMillis, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                    .cache(JWKSourceBuilder.DEFAULT_CACHE_TIME_TO_LIVE, Math.max(timeoutMillis, 1_000L) * 2)
                    .refreshAheadCache(false)
                    .rateLimited(JWKSourceBuilder.DEFAULT_RATE_LIMIT_MIN_INTERVAL)
                    .retrying(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new OidcException("the jwks_uri " + provider.getJWKSetURI() + " of the sign-in provider is not a valid URL", e);
        }
    }
}
