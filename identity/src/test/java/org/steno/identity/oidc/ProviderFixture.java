package org.steno.identity.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.Headers;
import okhttp3.mockwebserver.RecordedRequest;
import org.steno.identity.PlatformRole;

/**
 * What the OIDC tests share: settings for a client registered at a {@link MockOAuth2Server},
 * and the browser's part of the code flow over real HTTP (GET the authorization URL, read the
 * redirect to the callback without following it).
 */
final class ProviderFixture {

    static final String CLIENT_ID = "steno-web";
    static final String CLIENT_SECRET = "s3cret-that-must-never-show-9f2b";
    static final URI REDIRECT = URI.create("https://steno.example.org/auth/oidc/callback");
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Map<String, PlatformRole> ROLE_MAP = OidcSettings.parseRoleMap("steno-admins=admin,steno-auditors=auditor");

    private static final HttpClient BROWSER = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT)
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderFixture() {
    }

    /** The callback's query parameters, as the browser would bring them to /auth/oidc/callback. */
    record Callback(String state, String code, String error) {
    }

    static URI issuer(MockOAuth2Server server, String issuerId) {
        return URI.create(server.issuerUrl(issuerId).toString());
    }

    static OidcSettings settings(URI issuer) {
        return new OidcSettings(issuer, CLIENT_ID, CLIENT_SECRET, REDIRECT, null, "groups", ROLE_MAP, Set.of(PlatformRole.AGENT));
    }

    static OidcClient discover(URI issuer) throws OidcException {
        return OidcClient.discover(settings(issuer), TIMEOUT, Clock.systemUTC());
    }

    /** The next token from {@code issuerId} is for {@code subject}, with these extra claims. */
    static void nextToken(MockOAuth2Server server, String issuerId, String subject, Map<String, Object> claims, long expirySeconds) {
        server.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of(CLIENT_ID), claims, expirySeconds));
    }

    /** The browser's visit to the provider: with interactive login off it redirects straight back. */
    static Callback authorize(LoginStart start) throws IOException, InterruptedException {
        HttpResponse<String> response = BROWSER.send(HttpRequest.newBuilder(start.authorizationUrl()).GET().timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("authorization endpoint answer: %s", response.body()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertThat(location.getScheme() + "://" + location.getAuthority() + location.getPath()).isEqualTo(REDIRECT.toString());
        Map<String, String> q = query(location);
        return new Callback(q.get("state"), q.get("code"), q.get("error"));
    }

    static OidcIdentity signIn(OidcClient client) throws Exception {
        Callback callback = authorize(client.begin());
        return client.complete(callback.state(), callback.code(), callback.error());
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return BROWSER.send(HttpRequest.newBuilder(uri).GET().timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    static Map<String, String> form(String body) {
        return query(URI.create("x:/?" + body));
    }

    /** Every request the mock recorded since the last drain (MockWebServer keeps them all in a queue). */
    static List<RecordedRequest> drain(MockOAuth2Server server) {
        List<RecordedRequest> out = new ArrayList<>();
        while (true) {
            try {
                out.add(server.takeRequest(50, TimeUnit.MILLISECONDS));
            } catch (RuntimeException none) {
                return out;
            }
        }
    }

    /**
     * The discovery document the mock serves for {@code fromIssuerId}, rewritten to describe
     * {@code asIssuerId} on the same server (whose other endpoints the mock serves as usual),
     * then edited: for a route that stands in for a provider with different metadata.
     */
    static String discoveryDocument(MockOAuth2Server server, String fromIssuerId, String asIssuerId, Consumer<ObjectNode> edit)
            throws IOException, InterruptedException {
        String doc = get(URI.create(server.wellKnownUrl(fromIssuerId).toString())).body();
        String from = server.issuerUrl(fromIssuerId).toString();
        String to = server.issuerUrl(asIssuerId).toString();
        ObjectNode node = (ObjectNode) JSON.readTree(doc.replace(from + "/", to + "/").replace("\"" + from + "\"", "\"" + to + "\""));
        edit.accept(node);
        return JSON.writeValueAsString(node);
    }

    static OAuth2HttpResponse json(int status, String body) {
        return new OAuth2HttpResponse(Headers.of("Content-Type", "application/json;charset=UTF-8"), status, body, null);
    }

    /** What no user-facing sentence may contain: the secret, any JWT, the codes it was given. */
    static void assertShowsNoSecrets(OidcException e, String... alsoHidden) {
        assertThat(e.getMessage()).isNotBlank().doesNotContain(CLIENT_SECRET).doesNotContain("eyJ");
        for (String hidden : alsoHidden) {
            if (hidden != null && !hidden.isEmpty()) {
                assertThat(e.getMessage()).doesNotContain(hidden);
            }
        }
    }
}
