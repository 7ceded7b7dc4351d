package org.steno.server.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.AuditEntry;
import org.steno.identity.Database;
import org.steno.identity.PlatformRole;
import org.steno.server.TestConfigs;
import org.steno.server.WebSession;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.tools.AdminTool;

/**
 * Accounts, sessions, host controls and the audit log through a real process on the defaults of
 * {@code steno up} (embedded database under data.dir, the real policy), over HTTP.
 */
class SignInEndToEndTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private static StenoProcess start(Path dataDir, PrintStream console) throws Exception {
        PrintStream before = System.out;
        System.setOut(console);
        try {
            StenoProcess p = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), new StenoPolicy());
            p.start();
            return p;
        } finally {
            System.setOut(before);
        }
    }

    private static HttpResponse<String> anonymous(StenoProcess p, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The room's signaling socket: the token in the first message, then leave. */
    private static void enterAndLeave(StenoProcess p, String meetingId, String token) throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        java.net.http.WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + p.httpPort() + "/ws/meetings/" + meetingId), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                        got.add(data.toString());
                        w.request(1);
                        return null;
                    }
                }).get(10, java.util.concurrent.TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"join\",\"token\":\"" + token + "\"}", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        String first = got.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(first).as("the server's answer to join").contains("\"joined\"");
        ws.sendText("{\"type\":\"leave\"}", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (p.conference().registry().get(meetingId).map(m -> m.participantCount()).orElse(0) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        ws.abort();
    }

    @Test
    void theFirstStartPrintsAnAdministratorPasswordOnceAndItSignsIn() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        String password;
        try (StenoProcess p = start(dataDir, new PrintStream(first, true, StandardCharsets.UTF_8))) {
            Matcher m = Pattern.compile("password: (\\S+)").matcher(first.toString(StandardCharsets.UTF_8));
            assertThat(m.find()).as("the one-time password is printed: " + first).isTrue();
            password = m.group(1);
            WebSession admin = WebSession.signInExisting(p, "admin", password);
            HttpResponse<String> me = admin.get("/api/me");
            assertThat(admin.json(me).path("roles").toString()).contains("admin").contains("agent");
            assertThat(admin.get("/api/accounts").statusCode()).isEqualTo(200);
        }
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        try (StenoProcess p = start(dataDir, new PrintStream(second, true, StandardCharsets.UTF_8))) {
            assertThat(second.toString(StandardCharsets.UTF_8)).as("printed once only").doesNotContain("password:");
            // The account survived the restart.
            WebSession.signInExisting(p, "admin", password);
        }
    }

    @Test
    void aRestartKeepsTheMeetingItsLinkItsOwnerAndTheAuditLog() throws Exception {
        String id;
        long entries;
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            id = WebSession.signIn(p, "dora", PlatformRole.AGENT).createMeeting("Budget 2027");
            entries = p.identity().auditLog().all().size();
        }
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            assertThat(p.conference().registry().get(id)).as("not live before anyone comes").isEmpty();
            HttpResponse<String> page = anonymous(p, "GET", "/m/" + id, null);
            assertThat(page.statusCode()).as("the shared link still opens the meeting").isEqualTo(200);
            WebSession dora = WebSession.signIn(p, "dora");
            HttpResponse<String> meeting = dora.get("/api/meetings/" + id);
            assertThat(dora.json(meeting).path("title").asString()).isEqualTo("Budget 2027");
            HttpResponse<String> join = dora.post("/api/meetings/" + id + "/join", "{\"displayName\":\"Dora\"}");
            assertThat(dora.json(join).path("role").asString()).as("still its owner").isEqualTo("host");
            assertThat(WebSession.signIn(p, "eve", PlatformRole.AGENT).post("/api/meetings/" + id + "/captions", "{\"enabled\":true}")
                    .statusCode()).isEqualTo(403);
            assertThat(p.identity().auditLog().all().size()).as("the audit log kept its entries").isGreaterThan((int) entries);
            assertThat(p.identity().auditLog().verify().ok()).isTrue();
        }
    }

    @Test
    void theAccountsCommandManagesTheSameDatabase() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(AdminTool.run("accounts", new String[] {"add", "gus", "--name", "Gus Grissom", "--roles", "agent,auditor"}, env,
                new PrintStream(out), new PrintStream(err))).as(err.toString()).isZero();
        Matcher m = Pattern.compile("one-time password \\(shown once\\): (\\S+)").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        String password = m.group(1);
        assertThat(AdminTool.run("accounts", new String[] {"add", "Bad Name!"}, env, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(1);
        assertThat(err.toString()).contains("steno:");
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            WebSession gus = WebSession.signInExisting(p, "gus", password);
            assertThat(gus.json(gus.get("/api/me")).path("roles").toString()).contains("auditor").contains("agent");
        }
        out.reset();
        assertThat(AdminTool.run("accounts", new String[] {"list"}, env, new PrintStream(out), new PrintStream(err))).isZero();
        assertThat(out.toString()).contains("gus").contains("Gus Grissom").contains("agent,auditor").contains("active");
        assertThat(AdminTool.run("accounts", new String[] {"disable", "gus"}, env, new PrintStream(out), new PrintStream(err))).isZero();
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            assertThat(anonymous(p, "POST", "/auth/login", "{\"username\":\"gus\",\"password\":\"" + password + "\"}").statusCode())
                    .isEqualTo(401);
            assertThat(p.identity().auditLog().all()).anySatisfy(e -> {
                assertThat(e.action()).isEqualTo("ACCOUNTS.DISABLE");
                assertThat(e.subject()).startsWith("cli:");
            });
        }
    }

    @Test
    void aSessionCookieIsHttpOnlyLaxAndEndsAtSignOut() throws Exception {
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            p.identity().accounts().createLocal("alice", "Alice", WebSession.PASSWORD.toCharArray(), java.util.Set.of(PlatformRole.AGENT));
            HttpResponse<String> login = anonymous(p, "POST", "/auth/login",
                    "{\"username\":\"alice\",\"password\":\"" + WebSession.PASSWORD + "\"}");
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("steno_session=").contains("HttpOnly").contains("SameSite=Lax").contains("Path=/")
                    .doesNotContain("Secure"); // http://localhost: a Secure cookie would never come back
            HttpResponse<String> wrong = anonymous(p, "POST", "/auth/login", "{\"username\":\"alice\",\"password\":\"nope nope nope\"}");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("wrong username or password");
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();
            assertThat(anonymous(p, "POST", "/auth/login", "not json").statusCode()).isEqualTo(400);

            WebSession alice = WebSession.signIn(p, "alice");
            assertThat(alice.json(alice.get("/api/me")).path("signedIn").asBoolean()).isTrue();
            assertThat(alice.post("/auth/logout", "{}").statusCode()).isEqualTo(200);
            assertThat(alice.json(alice.get("/api/me")).path("signedIn").asBoolean()).as("the cookie is dead").isFalse();
            assertThat(alice.post("/api/meetings", "{}").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void disablingAnAccountEndsItsSessions() throws Exception {
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            WebSession bob = WebSession.signIn(p, "bob", PlatformRole.AGENT);
            WebSession admin = WebSession.signIn(p, "root", PlatformRole.ADMIN);
            assertThat(bob.post("/api/meetings", "{}").statusCode()).isEqualTo(201);
            assertThat(admin.post("/api/accounts/bob/disable", "{}").statusCode()).isEqualTo(200);
            assertThat(bob.post("/api/meetings", "{}").statusCode()).isEqualTo(401);
            assertThat(anonymous(p, "POST", "/auth/login", "{\"username\":\"bob\",\"password\":\"" + WebSession.PASSWORD + "\"}")
                    .statusCode()).isEqualTo(401);
            assertThat(bob.post("/api/accounts/root/disable", "{}").statusCode()).as("not an admin").isEqualTo(401);

            // A reset password ends the sessions whoever knew the old one holds.
            WebSession cleo = WebSession.signIn(p, "cleo", PlatformRole.AGENT);
            assertThat(admin.post("/api/accounts/cleo/reset-password", "{}").statusCode()).isEqualTo(200);
            assertThat(cleo.post("/api/meetings", "{}").statusCode()).isEqualTo(401);

            // The last active administrator cannot be disabled or lose the role: nobody could administer then.
            p.identity().accounts().disable("admin"); // the bootstrap one, so root is the only admin
            HttpResponse<String> last = admin.post("/api/accounts/root/roles", "{\"roles\":[\"agent\"]}");
            assertThat(last.statusCode()).isEqualTo(409);
            assertThat(last.body()).contains("last active administrator");
            assertThat(admin.post("/api/accounts/root/disable", "{}").statusCode()).isEqualTo(409);
            assertThat(admin.get("/api/accounts").statusCode()).as("still an administrator").isEqualTo(200);
        }
    }

    @Test
    void hostControlsAndDownloadsBelongToTheOwnerWhateverThePageShows() throws Exception {
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            WebSession owner = WebSession.signIn(p, "owner", PlatformRole.AGENT);
            WebSession other = WebSession.signIn(p, "other", PlatformRole.AGENT);
            WebSession auditor = WebSession.signIn(p, "audrey", PlatformRole.AUDITOR);
            String id = owner.createMeeting("Council", "public");
            String captionsOn = "{\"enabled\":true,\"language\":\"en\"}";
            for (String path : List.of("/api/meetings/" + id + "/recording", "/api/meetings/" + id + "/captions",
                    "/api/meetings/" + id + "/recording/")) {
                HttpResponse<String> a = anonymous(p, "POST", path, "{\"enabled\":true}");
                assertThat(a.statusCode()).as("anonymous " + path).isEqualTo(401);
                assertThat(a.body()).contains("owner");
                HttpResponse<String> o = other.post(path, "{\"enabled\":true}");
                assertThat(o.statusCode()).as("another agent " + path).isEqualTo(403);
                assertThat(o.body()).contains("only the meeting's owner or a host");
            }
            assertThat(owner.post("/api/meetings/" + id + "/captions", captionsOn).statusCode()).isEqualTo(200);
            assertThat(p.conference().registry().get(id).orElseThrow().captionsEnabled()).isTrue();

            assertThat(anonymous(p, "GET", "/api/meetings/" + id + "/archive", null).statusCode()).isEqualTo(401);
            assertThat(other.get("/api/meetings/" + id + "/archive").statusCode()).isEqualTo(403);
            assertThat(owner.get("/api/meetings/" + id + "/archive").statusCode()).isEqualTo(200);
            assertThat(auditor.get("/api/meetings/" + id + "/archive").statusCode()).isEqualTo(200);
            assertThat(auditor.post("/api/meetings/" + id + "/join", "{\"displayName\":\"A\"}").statusCode())
                    .as("an auditor never joins a live meeting").isEqualTo(403);
            HttpResponse<String> join = owner.post("/api/meetings/" + id + "/join", "{\"displayName\":\"Owner\"}");
            assertThat(owner.json(join).path("role").asString()).as("the owner joins as host").isEqualTo("host");
            HttpResponse<String> guest = anonymous(p, "POST", "/api/meetings/" + id + "/join", "{\"displayName\":\"Guest\"}");
            assertThat(guest.statusCode()).isEqualTo(200);
            assertThat(owner.json(guest).path("role").asString()).as("whoever joins first, a guest is no host").isEqualTo("participant");

            // Ending the meeting for everyone is the owner's too: the guest in the room is told at once.
            java.util.concurrent.LinkedBlockingQueue<String> heard = new java.util.concurrent.LinkedBlockingQueue<>();
            java.net.http.WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + p.httpPort() + "/ws/meetings/" + id), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            heard.add(data.toString());
                            w.request(1);
                            return null;
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"token\":\"" + owner.json(guest).path("token").asString() + "\"}", true).get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS)).contains("\"joined\"");
            assertThat(anonymous(p, "POST", "/api/meetings/" + id + "/end", "{}").statusCode()).isEqualTo(401);
            assertThat(other.post("/api/meetings/" + id + "/end", "{}").statusCode()).isEqualTo(403);
            assertThat(owner.post("/api/meetings/" + id + "/end", "{}").statusCode()).isEqualTo(200);
            String ended = null;
            for (String m = heard.poll(10, java.util.concurrent.TimeUnit.SECONDS); m != null; m = heard.poll(10, java.util.concurrent.TimeUnit.SECONDS)) {
                if (m.contains("meeting-ended")) {
                    ended = m;
                    break;
                }
            }
            assertThat(ended).as("the guest's page is told the meeting ended").isNotNull();
            assertThat(p.conference().registry().get(id)).isEmpty();
            ws.abort();
        }
    }

    @Test
    void everyActionOfAScriptedSessionIsAuditedInOrderAndTamperingIsFound() throws Exception {
        String id;
        try (StenoProcess p = start(dataDir, new PrintStream(new ByteArrayOutputStream()))) {
            WebSession owner = WebSession.signIn(p, "carol", PlatformRole.AGENT);
            id = owner.createMeeting("Audited");
            String token = owner.json(owner.post("/api/meetings/" + id + "/join", "{\"displayName\":\"Carol\"}")).path("token").asString();
            enterAndLeave(p, id, token);
            owner.post("/api/meetings/" + id + "/captions", "{\"enabled\":true}");
            owner.post("/api/meetings/" + id + "/captions", "{\"enabled\":false}");
            owner.get("/api/meetings/" + id + "/archive");
            anonymous(p, "POST", "/api/meetings/" + id + "/recording", "{\"enabled\":true}");
            owner.post("/auth/logout", "{}");

            List<AuditEntry> all = p.identity().auditLog().all();
            List<String> carols = all.stream().filter(e -> e.subject().equals("local:carol"))
                    .map(e -> e.action() + " " + e.resource() + " " + e.outcome()).toList();
            assertThat(carols).containsExactly(
                    "SIGN_IN accounts ALLOWED",
                    "CREATE_MEETING meeting ALLOWED",
                    "JOIN_MEETING meeting:" + id + " ALLOWED",
                    "ENTER_MEETING meeting:" + id + " ALLOWED",
                    "LEAVE_MEETING meeting:" + id + " ALLOWED",
                    "CONTROL_CAPTIONS meeting:" + id + " ALLOWED",
                    "CONTROL_CAPTIONS meeting:" + id + " ALLOWED",
                    "DOWNLOAD meeting:" + id + " ALLOWED",
                    "SIGN_OUT accounts ALLOWED");
            assertThat(all).as("the socket's upgrade is judged once, though two guards see it")
                    .filteredOn(e -> e.subject().equals("anonymous") && e.action().equals("JOIN_MEETING")).hasSize(1);
            assertThat(all).anySatisfy(e -> {
                assertThat(e.subject()).isEqualTo("anonymous");
                assertThat(e.action()).isEqualTo("CONTROL_RECORDING");
                assertThat(e.outcome().name()).isEqualTo("DENIED");
                assertThat(e.address()).isEqualTo("127.0.0.1");
            });
        }
        Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(AdminTool.run("audit", new String[] {"verify"}, env, new PrintStream(out), new PrintStream(out))).isZero();
        assertThat(out.toString()).contains("intact");

        long tampered;
        try (Database db = IdentityRole.open(ConfigLoader.load(null, env)); Connection c = db.connection();
             Statement st = c.createStatement()) {
            var rs = st.executeQuery("SELECT MIN(seq) FROM audit_log WHERE action = 'DOWNLOAD'");
            rs.next();
            tampered = rs.getLong(1);
            st.executeUpdate("UPDATE audit_log SET subject = 'someone-else' WHERE seq = " + tampered);
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(AdminTool.run("audit", new String[] {"verify"}, env, new PrintStream(out), new PrintStream(err))).isEqualTo(1);
        assertThat(err.toString()).contains("BROKEN").contains(Long.toString(tampered));
    }
}
