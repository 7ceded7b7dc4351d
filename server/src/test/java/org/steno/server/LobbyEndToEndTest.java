package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.steno.identity.PlatformRole;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Access levels, the lobby and host controls over HTTP and the signaling WebSocket, as pages
 * use them, on the defaults of {@code ./steno up} (only the ports are ephemeral): each person
 * is an HTTP client with its own cookie jar, so the browser key and the session cookie travel
 * as a browser's would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LobbyEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path tmp;

    private StenoProcess steno;

    @BeforeAll
    void start() throws Exception {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("data"));
        env.remove("STENO_HTTP_HOST");
        env.remove("STENO_MEDIA_ADVERTISED_ADDRESS");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
        steno.start();
    }

    @AfterAll
    void stop() {
        if (steno != null) {
            steno.close();
        }
    }

    /** One person's browser: its own cookies; signed in or not. */
    final class Person {
        final CookieManager cookies;
        final HttpClient http;
        final String name;
        String csrf = "";
        WebSocket ws;
        final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        /** Every message received, in order (awaitMessage takes from {@link #heard}). */
        final java.util.List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        String participantId;

        Person(String name) {
            this(name, new CookieManager());
        }

        private Person(String name, CookieManager cookies) {
            this.name = name;
            this.cookies = cookies;
            this.http = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(5)).build();
        }

        /** Another tab of this browser: the same cookies, its own socket. */
        Person sameCookies() {
            Person tab = new Person(name, cookies);
            tab.csrf = csrf;
            return tab;
        }

        Person signedIn(PlatformRole... roles) throws Exception {
            String username = name.toLowerCase();
            if (steno.identity().accounts().byUsername(username).isEmpty()) {
                steno.identity().accounts().createLocal(username, name, WebSession.PASSWORD.toCharArray(), Set.of(roles));
            }
            String login = JSON.writeValueAsString(Map.of("username", username, "password", WebSession.PASSWORD));
            HttpResponse<String> r = send("POST", "/auth/login", login);
            if (r.statusCode() == 429) {
                // Sign-ins are limited per address (10 a minute) and this class signs in more people than
                // that from 127.0.0.1: wait as the answer says, as a well-behaved client does.
                Thread.sleep(1000L * Long.parseLong(r.headers().firstValue("Retry-After").orElse("6")) + 200);
                r = send("POST", "/auth/login", login);
            }
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            csrf = JSON.readTree(r.body()).path("csrfToken").asString();
            return this;
        }

        HttpResponse<String> send(String method, String path, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).header("content-type", "application/json");
            if (!csrf.isEmpty()) {
                b.header("X-CSRF-Token", csrf);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(String path, String body) throws Exception {
            return send("POST", path, body);
        }

        HttpResponse<String> askToJoin(String meetingId) throws Exception {
            return post("/api/meetings/" + meetingId + "/join", JSON.writeValueAsString(Map.of("displayName", name)));
        }

        /** Joins with the token of an admitted join: the signaling socket, the token in the first message. */
        void enter(String meetingId, HttpResponse<String> admitted) throws Exception {
            assertThat(admitted.statusCode()).as(name + " is let in: " + admitted.body()).isEqualTo(200);
            ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meetingId),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            heard.add(data.toString());
                            all.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
                            closedWith.complete(code);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText(JSON.writeValueAsString(Map.of("type", "join", "token", JSON.readTree(admitted.body()).path("token").asString())), true)
                    .get(5, TimeUnit.SECONDS);
            participantId = awaitMessage(m -> m.path("type").asString().equals("joined")).path("participantId").asString();
        }

        JsonNode awaitMessage(Predicate<JsonNode> wanted) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String m = heard.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && wanted.test(JSON.readTree(m))) {
                    return JSON.readTree(m);
                }
            }
            throw new AssertionError(name + " never received the expected message");
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    @Test
    void aTrustedMeetingKeepsGuestsInTheLobbyUntilAHostLetsThemInAndHostControlsAreTheHosts() throws Exception {
        Person owner = new Person("Olivia").signedIn(PlatformRole.AGENT);
        HttpResponse<String> created = owner.post("/api/meetings", "{\"title\":\"Council\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(json(created).path("accessLevel").asString()).as("new meetings are trusted").isEqualTo("trusted");
        String id = json(created).path("id").asString();
        HttpResponse<String> ownerJoin = owner.askToJoin(id);
        assertThat(json(ownerJoin).path("role").asString()).isEqualTo("host");
        owner.enter(id, ownerJoin);

        // A guest waits; the host sees the request live and on the API; the guest cannot see or decide it.
        Person guest = new Person("Gaston");
        HttpResponse<String> waiting = guest.askToJoin(id);
        assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(202);
        assertThat(json(waiting).path("status").asString()).isEqualTo("waiting");
        assertThat(json(waiting).path("title").asString()).isEqualTo("Council");
        assertThat(json(waiting).has("token")).isFalse();
        assertThat(waiting.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("steno_browser=") && c.contains("HttpOnly"));
        String requestId = json(waiting).path("requestId").asString();
        JsonNode lobby = owner.awaitMessage(m -> m.path("type").asString().equals("lobby") && m.path("count").asInt() == 1);
        assertThat(lobby.path("waiting").get(0).path("displayName").asString()).isEqualTo("Gaston");
        assertThat(lobby.path("waiting").get(0).path("signedIn").asBoolean()).isFalse();
        assertThat(json(owner.send("GET", "/api/meetings/" + id + "/lobby", null)).path("waiting").get(0).path("id").asString())
                .isEqualTo(requestId);
        assertThat(guest.send("GET", "/api/meetings/" + id + "/lobby", null).statusCode()).isEqualTo(401);
        assertThat(guest.post("/api/meetings/" + id + "/lobby", "{\"admit\":\"all\"}").statusCode()).isEqualTo(401);
        assertThat(guest.askToJoin(id).statusCode()).as("asking again still waits").isEqualTo(202);

        // A signed-in agent walks in; they are no host.
        Person alice = new Person("Alice").signedIn(PlatformRole.AGENT);
        alice.enter(id, alice.askToJoin(id));
        assertThat(alice.post("/api/meetings/" + id + "/lobby", "{\"admit\":\"all\"}").statusCode()).isEqualTo(403);

        // The host admits the guest, who enters with a token on their next ask.
        HttpResponse<String> admit = owner.post("/api/meetings/" + id + "/lobby", "{\"admit\":[\"" + requestId + "\"]}");
        assertThat(json(admit).path("admitted").asInt()).as(admit.body()).isEqualTo(1);
        owner.awaitMessage(m -> m.path("type").asString().equals("lobby") && m.path("count").asInt() == 0);
        guest.enter(id, guest.askToJoin(id));

        // Host controls: mute (the guest's page is told), refused to a participant and to bad input.
        HttpResponse<String> mute = owner.post("/api/meetings/" + id + "/participants/" + guest.participantId + "/mute-audio", "{}");
        assertThat(mute.statusCode()).as(mute.body()).isEqualTo(200);
        assertThat(guest.awaitMessage(m -> m.path("type").asString().equals("muted-by-host")).path("kind").asString()).isEqualTo("audio");
        assertThat(alice.post("/api/meetings/" + id + "/participants/" + guest.participantId + "/remove", "{}").statusCode()).isEqualTo(403);
        assertThat(guest.post("/api/meetings/" + id + "/participants/" + alice.participantId + "/remove", "{}").statusCode()).isEqualTo(401);
        assertThat(owner.post("/api/meetings/" + id + "/participants/" + guest.participantId + "/explode", "{}").statusCode()).isEqualTo(404);
        assertThat(owner.post("/api/meetings/" + id + "/participants/p999/mute-audio", "{}").statusCode()).isEqualTo(404);
        assertThat(owner.post("/api/meetings/" + id + "/lobby", "{\"admit\":42}").statusCode()).isEqualTo(400);
        assertThat(owner.post("/api/meetings/" + id + "/lock", "not json").statusCode()).isEqualTo(400);
        assertThat(owner.post("/api/meetings/" + id + "/participants/" + guest.participantId + "/make-host", "{}").statusCode())
                .as("a guest cannot be a co-host").isEqualTo(409);

        // Removed: Alice is told and disconnected, and from now on she waits, though signed in; denied, she is told.
        assertThat(owner.post("/api/meetings/" + id + "/participants/" + alice.participantId + "/remove", "{}").statusCode()).isEqualTo(200);
        assertThat(alice.awaitMessage(m -> m.path("type").asString().equals("removed"))).isNotNull();
        assertThat(alice.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(4403);
        HttpResponse<String> back = alice.askToJoin(id);
        assertThat(back.statusCode()).as("a removed person waits: " + back.body()).isEqualTo(202);
        JsonNode aliceWaits = owner.awaitMessage(m -> m.path("type").asString().equals("lobby") && m.path("count").asInt() == 1);
        assertThat(aliceWaits.path("waiting").get(0).path("signedIn").asBoolean()).isTrue();
        owner.post("/api/meetings/" + id + "/lobby", "{\"deny\":[\"" + json(back).path("requestId").asString() + "\"]}");
        HttpResponse<String> denied = alice.askToJoin(id);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).path("status").asString()).isEqualTo("denied");

        // Locked: everyone new waits, even signed in; those in are told it is locked.
        assertThat(owner.post("/api/meetings/" + id + "/lock", "{\"locked\":true}").statusCode()).isEqualTo(200);
        assertThat(guest.awaitMessage(m -> m.path("type").asString().equals("meeting-locked")).path("locked").asBoolean()).isTrue();
        Person bruno = new Person("Bruno").signedIn(PlatformRole.AGENT);
        assertThat(bruno.askToJoin(id).statusCode()).isEqualTo(202);
        assertThat(owner.post("/api/meetings/" + id + "/lock", "{\"locked\":false}").statusCode()).isEqualTo(200);

        // Restricted, the owner's setting: only invited people enter; the others keep waiting.
        assertThat(alice.post("/api/meetings/" + id + "/settings", "{\"accessLevel\":\"public\"}").statusCode()).isEqualTo(403);
        assertThat(owner.post("/api/meetings/" + id + "/settings", "{\"accessLevel\":\"open\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> restricted = owner.post("/api/meetings/" + id + "/settings", "{\"accessLevel\":\"restricted\"}");
        assertThat(json(restricted).path("accessLevel").asString()).as(restricted.body()).isEqualTo("restricted");
        assertThat(bruno.askToJoin(id).statusCode()).as("uninvited").isEqualTo(202);
        HttpResponse<String> invite = owner.post("/api/meetings/" + id + "/members", "{\"username\":\"carla\",\"role\":\"invited\"}");
        assertThat(invite.statusCode()).as(invite.body()).isEqualTo(200);
        Person carla = new Person("Carla").signedIn(PlatformRole.AGENT);
        carla.enter(id, carla.askToJoin(id));

        // Carla made a co-host: she now decides the lobby, and stays a co-host of the meeting.
        assertThat(carla.send("GET", "/api/meetings/" + id + "/lobby", null).statusCode()).isEqualTo(403);
        HttpResponse<String> promoted = owner.post("/api/meetings/" + id + "/participants/" + carla.participantId + "/make-host", "{}");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        JsonNode updated = guest.awaitMessage(m -> m.path("type").asString().equals("participant-updated"));
        assertThat(updated.path("participant").path("role").asString()).isEqualTo("host");
        carla.awaitMessage(m -> m.path("type").asString().equals("lobby") && m.path("count").asInt() == 1);
        HttpResponse<String> carlaAdmits = carla.post("/api/meetings/" + id + "/lobby", "{\"admit\":\"all\"}");
        assertThat(json(carlaAdmits).path("admitted").asInt()).as(carlaAdmits.body()).isEqualTo(1);
        bruno.enter(id, bruno.askToJoin(id));
        JsonNode members = json(owner.send("GET", "/api/meetings/" + id + "/settings", null)).path("members");
        assertThat(members.size()).isEqualTo(1);
        assertThat(members.get(0).path("username").asString()).isEqualTo("carla");
        assertThat(members.get(0).path("role").asString()).isEqualTo("host");
        assertThat(steno.identity().meetings().members(id)).containsEntry("carla", "host");
    }

    @Test
    void aPublicMeetingLetsGuestsInAndARestrictedOneKeepsAgentsOut() throws Exception {
        Person owner = new Person("Paula").signedIn(PlatformRole.AGENT);
        String pub = json(owner.post("/api/meetings", "{\"title\":\"Open day\",\"accessLevel\":\"public\"}")).path("id").asString();
        HttpResponse<String> guestIn = new Person("Visitor").askToJoin(pub);
        assertThat(guestIn.statusCode()).as(guestIn.body()).isEqualTo(200);
        assertThat(json(guestIn).path("status").asString()).isEqualTo("admitted");

        HttpResponse<String> bad = owner.post("/api/meetings", "{\"accessLevel\":\"everyone\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        String closed = json(owner.post("/api/meetings", "{\"title\":\"HR\",\"accessLevel\":\"restricted\"}")).path("id").asString();
        assertThat(new Person("Quentin").signedIn(PlatformRole.AGENT).askToJoin(closed).statusCode()).isEqualTo(202);
        assertThat(new Person("Intruder").askToJoin(closed).statusCode()).isEqualTo(202);
        assertThat(owner.askToJoin(closed).statusCode()).as("the owner never waits").isEqualTo(200);
    }

    @Test
    void joiningAgainFromTheSameBrowserReplacesTheOlderPresence() throws Exception {
        Person owner = new Person("Renata").signedIn(PlatformRole.AGENT);
        String id = json(owner.post("/api/meetings", "{\"title\":\"Tabs\"}")).path("id").asString();
        owner.enter(id, owner.askToJoin(id));
        Person guest = new Person("Tab");
        HttpResponse<String> waits = guest.askToJoin(id);
        owner.post("/api/meetings/" + id + "/lobby", "{\"admit\":[\"" + json(waits).path("requestId").asString() + "\"]}");
        guest.enter(id, guest.askToJoin(id));
        var meeting = steno.conference().registry().get(id).orElseThrow();
        assertThat(meeting.participantCount()).isEqualTo(2);

        // The same browser (its cookie) joins again, as a second tab or a page reconnecting would: no lobby, one presence.
        Person sameBrowser = guest.sameCookies();
        HttpResponse<String> again = sameBrowser.askToJoin(id);
        assertThat(again.statusCode()).as("back in without waiting: " + again.body()).isEqualTo(200);
        sameBrowser.enter(id, again);
        assertThat(guest.awaitMessage(m -> m.path("type").asString().equals("replaced"))).isNotNull();
        assertThat(guest.closedWith.get(10, TimeUnit.SECONDS)).isEqualTo(4408);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (meeting.participantCount() != 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(meeting.participants()).extracting(p -> p.displayName()).containsExactlyInAnyOrder("Renata", "Tab");
        assertThat(meeting.participants()).extracting(p -> p.id()).contains(sameBrowser.participantId).doesNotContain(guest.participantId);
    }

    @Test
    void chatReachesEveryoneALateJoinerGetsItAndItIsStoredBesideTheTranscriptsAtTheEnd() throws Exception {
        Person owner = new Person("Sofia").signedIn(PlatformRole.AGENT);
        String id = json(owner.post("/api/meetings", "{\"title\":\"Chat\",\"accessLevel\":\"public\"}")).path("id").asString();
        owner.enter(id, owner.askToJoin(id));
        Person guest = new Person("Theo");
        guest.enter(id, guest.askToJoin(id));

        guest.ws.sendText("{\"type\":\"chat\",\"text\":\"<script>alert(1)</script> see https://example.org\"}", true).get(5, TimeUnit.SECONDS);
        JsonNode said = owner.awaitMessage(m -> m.path("type").asString().equals("chat"));
        assertThat(said.path("displayName").asString()).isEqualTo("Theo");
        assertThat(said.path("text").asString()).as("kept as typed: the page shows it as text").startsWith("<script>");
        guest.ws.sendText("{\"type\":\"chat\",\"text\":\"\"}", true).get(5, TimeUnit.SECONDS);
        assertThat(guest.awaitMessage(m -> m.path("type").asString().equals("error")).path("message").asString()).contains("1 to 2000");
        owner.ws.sendText("{\"type\":\"chat\",\"text\":\"Welcome, Theo\"}", true).get(5, TimeUnit.SECONDS);
        guest.awaitMessage(m -> m.path("type").asString().equals("chat") && m.path("text").asString().equals("Welcome, Theo"));

        // Hands: raised by the guest, seen by the host, lowered by the host (a guest may not lower others').
        guest.ws.sendText("{\"type\":\"hand\",\"raised\":true}", true).get(5, TimeUnit.SECONDS);
        assertThat(owner.awaitMessage(m -> m.path("type").asString().equals("hand")).path("raised").asBoolean()).isTrue();
        Person late = new Person("Ugo");
        late.enter(id, late.askToJoin(id));
        assertThat(late.all.stream().map(JSON::readTree).filter(m -> m.path("type").asString().equals("joined")).findFirst()
                .orElseThrow().path("handsRaised").toString()).contains(guest.participantId);
        // The history follows `joined` (enter returns at joined): wait for it rather than read what came so far.
        java.util.function.Supplier<java.util.List<String>> history = () -> late.all.stream().map(JSON::readTree)
                .filter(m -> m.path("type").asString().equals("chat") && m.path("history").asBoolean())
                .map(m -> m.path("text").asString()).toList();
        long historyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (history.get().size() < 2 && System.nanoTime() < historyDeadline) {
            Thread.sleep(50);
        }
        assertThat(history.get()).as("the chat so far, to a late joiner").hasSize(2);
        assertThat(owner.post("/api/meetings/" + id + "/participants/" + guest.participantId + "/lower-hand", "{}").statusCode()).isEqualTo(200);
        assertThat(guest.awaitMessage(m -> m.path("type").asString().equals("hand") && !m.path("raised").asBoolean())
                .path("participantId").asString()).isEqualTo(guest.participantId);

        assertThat(owner.post("/api/meetings/" + id + "/end", "{}").statusCode()).isEqualTo(200);
        org.steno.server.storage.S3Target target = steno.storageTarget();
        try (var s3 = org.steno.server.storage.S3Storage.newClient(target)) {
            String key = "meetings/" + id + "/chat.json";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            JsonNode chat = null;
            while (chat == null && System.nanoTime() < deadline) {
                try {
                    chat = JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(target.bucket()).key(key)).asUtf8String());
                } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(chat).as(key + " in the bucket").isNotNull();
            assertThat(chat.path("messages").size()).isEqualTo(2);
            assertThat(chat.path("messages").get(1).path("displayName").asString()).isEqualTo("Sofia");
            assertThat(chat.path("messages").get(0).path("mediaTimeMs").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void theOwnersDefaultsGiveTheCaptionsTheirLanguageAndRecordFromTheStart() throws Exception {
        Person owner = new Person("Odile").signedIn(PlatformRole.AGENT);
        String id = json(owner.post("/api/meetings", "{\"title\":\"Conseil\"}")).path("id").asString();
        JsonNode standard = json(owner.send("GET", "/api/meetings/" + id + "/settings", null));
        assertThat(standard.path("captionsLanguage").asString()).isEqualTo("en");
        assertThat(standard.path("recordOnStart").asBoolean()).isFalse();

        // Bad values are refused with a sentence and change nothing; only the owner may change them.
        HttpResponse<String> german = owner.post("/api/meetings/" + id + "/settings", "{\"captionsLanguage\":\"de\"}");
        assertThat(german.statusCode()).isEqualTo(400);
        assertThat(json(german).path("error").asString()).contains("en, fr");
        assertThat(owner.post("/api/meetings/" + id + "/settings", "{\"recordOnStart\":\"yes\"}").statusCode()).isEqualTo(400);
        Person other = new Person("Pierre").signedIn(PlatformRole.AGENT);
        assertThat(other.post("/api/meetings/" + id + "/settings", "{\"recordOnStart\":true}").statusCode()).isEqualTo(403);
        HttpResponse<String> set = owner.post("/api/meetings/" + id + "/settings",
                "{\"title\":\"Conseil municipal\",\"captionsLanguage\":\"fr\",\"recordOnStart\":true}");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(json(set).path("title").asString()).isEqualTo("Conseil municipal");
        assertThat(json(set).path("accessLevel").asString()).as("left as it was").isEqualTo("trusted");
        assertThat(steno.identity().meetings().defaults(id)).contains(new org.steno.identity.MeetingDefaults("fr", true));

        // The meeting's first person starts the recording; CC without a language is in the meeting's.
        owner.enter(id, owner.askToJoin(id));
        JsonNode started = owner.awaitMessage(m -> m.path("type").asString().equals("meeting-updated") && m.path("recording").asBoolean());
        assertThat(started.path("recording").asBoolean()).isTrue();
        HttpResponse<String> cc = owner.post("/api/meetings/" + id + "/captions", "{\"enabled\":true}");
        assertThat(cc.statusCode()).as(cc.body()).isEqualTo(200);
        assertThat(json(cc).path("language").asString()).isEqualTo("fr");
        assertThat(json(owner.post("/api/meetings/" + id + "/captions", "{\"enabled\":true,\"language\":\"en\"}"))
                .path("language").asString()).as("a host may still name another").isEqualTo("en");
        assertThat(owner.post("/api/meetings/" + id + "/recording", "{\"enabled\":false}").statusCode()).isEqualTo(200);
    }

    @Test
    void myMeetingsListWhatIOwnCoHostOrAmInvitedTo() throws Exception {
        Person owner = new Person("Xavier").signedIn(PlatformRole.AGENT);
        String first = json(owner.post("/api/meetings", "{\"title\":\"Weekly\"}")).path("id").asString();
        String second = json(owner.post("/api/meetings", "{\"title\":\"Board\",\"accessLevel\":\"restricted\"}")).path("id").asString();
        owner.post("/api/meetings/" + first + "/members", "{\"username\":\"vera\",\"role\":\"host\"}");
        owner.post("/api/meetings/" + second + "/members", "{\"username\":\"vera\",\"role\":\"invited\"}");
        Person vera = new Person("Vera").signedIn(PlatformRole.AGENT);

        JsonNode mine = json(owner.send("GET", "/api/me/meetings", null)).path("meetings");
        assertThat(mine.size()).isEqualTo(2);
        assertThat(mine.get(0).path("id").asString()).as("newest first").isEqualTo(second);
        assertThat(mine.get(0).path("relation").asString()).isEqualTo("owner");
        assertThat(mine.get(0).path("live").asBoolean()).isTrue();
        assertThat(mine.get(1).path("archive").asString()).isEqualTo("/m/" + first + "/archive");
        JsonNode hers = json(vera.send("GET", "/api/me/meetings", null)).path("meetings");
        assertThat(hers.size()).isEqualTo(2);
        assertThat(hers.get(0).path("relation").asString()).isEqualTo("invited");
        assertThat(hers.get(1).path("relation").asString()).isEqualTo("host");
        // An agent who took part in a meeting (signed in, not named in it) finds it too, as attended.
        Person walter = new Person("Walter").signedIn(PlatformRole.AGENT);
        assertThat(json(walter.send("GET", "/api/me/meetings", null)).path("meetings").size()).isZero();
        walter.enter(first, walter.askToJoin(first));
        JsonNode his = json(walter.send("GET", "/api/me/meetings", null)).path("meetings");
        assertThat(his.size()).isEqualTo(1);
        assertThat(his.get(0).path("id").asString()).isEqualTo(first);
        assertThat(his.get(0).path("relation").asString()).isEqualTo("attended");
        assertThat(new Person("Nobody").send("GET", "/api/me/meetings", null).statusCode()).isEqualTo(401);
    }
}
