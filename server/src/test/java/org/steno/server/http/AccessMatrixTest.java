package org.steno.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Action;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * The role × action matrix at the boundary: every route of the real process's route table
 * (HTTP and WebSocket) is requested over the network as each kind of caller, and the answer
 * must be what the table below says: allowed (anything but 401/403, or a socket that opens) or
 * refused (401/403, or a refused upgrade). The expectations are written here, not derived from
 * the policy, and keyed by action: a route whose action has no row fails the test.
 */
class AccessMatrixTest {

    enum Who { ANONYMOUS, SIGNED_IN_NO_ROLE, AGENT, OWNER, AUDITOR, ADMIN, SERVICE_TOKEN }

    private static final Set<Who> ALL = Set.of(Who.values());
    private static final Set<Who> MEETING_PEOPLE = Set.of(Who.ANONYMOUS, Who.SIGNED_IN_NO_ROLE, Who.AGENT, Who.OWNER,
            Who.ADMIN, Who.SERVICE_TOKEN);

    /** Who may; everyone else must be refused. */
    private static final Map<Action, Set<Who>> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(Action.VIEW, ALL),
            Map.entry(Action.OBSERVE, ALL),
            Map.entry(Action.SIGN_IN, ALL),
            Map.entry(Action.CREATE_MEETING, Set.of(Who.AGENT, Who.OWNER, Who.ADMIN)),
            Map.entry(Action.JOIN_MEETING, MEETING_PEOPLE),
            Map.entry(Action.SUBSCRIBE_MEDIA, MEETING_PEOPLE),
            Map.entry(Action.HOST_MEETING, Set.of(Who.OWNER)),
            Map.entry(Action.MANAGE_MEETING, Set.of(Who.OWNER)),
            Map.entry(Action.LIST_MY_MEETINGS, Set.of(Who.AGENT, Who.OWNER, Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.CONTROL_RECORDING, Set.of(Who.OWNER)),
            Map.entry(Action.CONTROL_CAPTIONS, Set.of(Who.OWNER)),
            Map.entry(Action.DOWNLOAD, Set.of(Who.OWNER, Who.AUDITOR)),
            Map.entry(Action.EXPORT_EVIDENCE, Set.of(Who.OWNER, Who.AUDITOR)),
            // The agent sees only meetings it owns or attended (the scope is inside the search).
            Map.entry(Action.SEARCH_ARCHIVE, Set.of(Who.AGENT, Who.OWNER, Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.LEGAL_HOLD, Set.of(Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.SET_RETENTION, Set.of(Who.ADMIN)),
            Map.entry(Action.READ_AUDIT, Set.of(Who.AUDITOR, Who.ADMIN)),
            Map.entry(Action.ADMINISTER, Set.of(Who.ADMIN))));

    @TempDir
    static Path dataDir;
    static StenoProcess steno;
    static final Map<Who, WebSession> SESSIONS = new EnumMap<>(Who.class);
    static String meeting;
    static String serviceToken;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        // Each kind of caller comes from its own address (through a trusted proxy: this host), so that one
        // caller's refusals do not spend the others' refusal budget (120 a minute per address).
        java.util.Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
        env.put("STENO_HTTP_TRUSTED_PROXIES", "127.0.0.1");
        steno = new StenoProcess(Role.UP, org.steno.server.config.ConfigLoader.load(null, env), new StenoPolicy());
        steno.start();
        SESSIONS.put(Who.SIGNED_IN_NO_ROLE, WebSession.signIn(steno, "norole"));
        SESSIONS.put(Who.AGENT, WebSession.signIn(steno, "agent", PlatformRole.AGENT));
        SESSIONS.put(Who.OWNER, WebSession.signIn(steno, "owner", PlatformRole.AGENT));
        SESSIONS.put(Who.AUDITOR, WebSession.signIn(steno, "auditor", PlatformRole.AUDITOR));
        SESSIONS.put(Who.ADMIN, WebSession.signIn(steno, "boss", PlatformRole.ADMIN));
        meeting = SESSIONS.get(Who.OWNER).createMeeting("matrix");
        serviceToken = java.nio.file.Files.readString(dataDir.resolve("service-token")).strip();
    }

    @AfterAll
    static void stop() {
        steno.close();
    }

    @Test
    void everyRouteAnswersEveryCallerAsTheMatrixSays() throws Exception {
        List<Route> routes = new ArrayList<>(steno.routes().routes());
        assertThat(routes).as("the process declares its routes").hasSizeGreaterThan(20);
        // Signing out ends the caller's session, so it comes last.
        routes.sort(Comparator.comparing(r -> r.path().equals("/auth/logout")));
        List<String> unexpectedAllows = new ArrayList<>();
        List<String> unexpectedDenials = new ArrayList<>();
        int cells = 0;
        for (Route route : routes) {
            assertThat(EXPECTED).as("a matrix row for " + route).containsKey(route.action());
            for (Who who : Who.values()) {
                boolean allowed = ask(route, who);
                boolean expected = EXPECTED.get(route.action()).contains(who);
                cells++;
                if (allowed && !expected) {
                    unexpectedAllows.add(route + " × " + who);
                } else if (!allowed && expected) {
                    unexpectedDenials.add(route + " × " + who);
                }
            }
        }
        System.out.printf("access matrix: %d routes × %d callers = %d requests, %d unexpected allows, %d unexpected denials%n",
                routes.size(), Who.values().length, cells, unexpectedAllows.size(), unexpectedDenials.size());
        assertThat(unexpectedAllows).as("unexpected allows").isEmpty();
        assertThat(unexpectedDenials).as("unexpected denials").isEmpty();
    }

    /** A documentation address (RFC 5737) per kind of caller. */
    private static String addressOf(Who who) {
        return "198.51.100." + (who.ordinal() + 1);
    }

    /** True when the request got past the guard (its handler answered, or the socket opened). */
    private static boolean ask(Route route, Who who) throws Exception {
        String path = route.path().replace("{id}", meeting).replace("{username}", "nobody-here")
                .replace("{file}", "style.css")
                .replace("{pid}", "p1").replace("{control}", "mute-audio").replace("<path>", "transcripts/t1/transcript.json")
                + (route.path().equals("/api/search") ? "?q=budget" : "");
        WebSession s = SESSIONS.get(who);
        if (route.method().equals("WS")) {
            WebSocket.Builder b = HTTP.newWebSocketBuilder().header("X-Forwarded-For", addressOf(who));
            if (s != null) {
                b.header("Cookie", s.cookieHeader());
            }
            if (who == Who.SERVICE_TOKEN) {
                b.header("Authorization", "Bearer " + serviceToken);
            }
            try {
                WebSocket ws = b.buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + path), new WebSocket.Listener() { })
                        .get(10, TimeUnit.SECONDS);
                ws.abort();
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof WebSocketHandshakeException h) {
                    int status = h.getResponse().statusCode();
                    assertThat(status).as(route + " × " + who).isIn(401, 403);
                    return false;
                }
                throw e;
            }
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", addressOf(who));
        switch (route.method()) {
            case "GET" -> b.GET();
            case "HEAD" -> b.method("HEAD", HttpRequest.BodyPublishers.noBody());
            case "POST" -> b.POST(HttpRequest.BodyPublishers.ofString("{}")).header("content-type", "application/json");
            default -> throw new AssertionError("no way to ask " + route);
        }
        if (s != null) {
            b.header("Cookie", s.cookieHeader()).header("X-CSRF-Token", s.csrfToken());
        }
        if (who == Who.SERVICE_TOKEN) {
            b.header("Authorization", "Bearer " + serviceToken);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 429) {
            // Limits apply after the decision: a refusal's 429 says so, any other passed the policy.
            return !r.body().contains("refused requests");
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            if (!route.method().equals("HEAD")) {
                assertThat(r.body()).as("a refusal says why: " + route + " × " + who).contains("\"error\"");
            }
            return false;
        }
        return true;
    }
}
