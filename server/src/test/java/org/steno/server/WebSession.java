package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import org.steno.identity.PlatformRole;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A person signed in to a running process over HTTP, as a browser would be: the account is
 * made as {@code steno accounts add} makes it, then {@code POST /auth/login} sets the session
 * cookie, and {@code /api/me} gives the CSRF token every state change sends back.
 */
public final class WebSession {

    public static final String PASSWORD = "correct horse battery staple";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;
    private final String cookie;
    private final String csrf;
    public final String username;

    private WebSession(String base, String cookie, String csrf, String username) {
        this.base = base;
        this.cookie = cookie;
        this.csrf = csrf;
        this.username = username;
    }

    /** Creates the local account (once) and signs it in. */
    public static WebSession signIn(StenoProcess steno, String username, PlatformRole... roles) throws Exception {
        if (steno.identity().accounts().byUsername(username).isEmpty()) {
            steno.identity().accounts().createLocal(username, username.substring(0, 1).toUpperCase() + username.substring(1),
                    PASSWORD.toCharArray(), Set.of(roles));
        }
        return signInExisting(steno, username, PASSWORD);
    }

    public static WebSession signInExisting(StenoProcess steno, String username, String password) throws Exception {
        String base = "http://127.0.0.1:" + steno.httpPort();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("username", username, "password", password))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("sign-in of " + username + ": " + r.body()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = JSON.readTree(r.body()).path("csrfToken").asString();
        return new WebSession(base, cookie, csrf, username);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).header("X-CSRF-Token", csrf).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A state change as a page of {@code origin} would send it (with this session's cookie and token). */
    public HttpResponse<String> postFrom(String origin, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).header("X-CSRF-Token", csrf).header("content-type", "application/json")
                .header("Origin", origin).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The same request without the CSRF header: what a forged form post would look like. */
    public HttpResponse<String> postWithoutCsrf(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Cookie", cookie).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a meeting with the default access level (trusted: guests wait in the lobby) and returns its id. */
    public String createMeeting(String title) throws Exception {
        return createMeeting(title, "trusted");
    }

    /** Creates a meeting; {@code public} lets guests in by the link, as tests that are not about the lobby need. */
    public String createMeeting(String title, String accessLevel) throws Exception {
        HttpResponse<String> r = post("/api/meetings", JSON.writeValueAsString(java.util.Map.of("title", title, "accessLevel", accessLevel)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asString();
    }

    public JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    public String cookieHeader() {
        return cookie;
    }

    public String csrfToken() {
        return csrf;
    }
}
