package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.proto.media.v1.MediaEvent;
import org.steno.proto.media.v1.MediaTapGrpc;
import org.steno.proto.media.v1.SubscribeRequest;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Meetings through the real embedded process: REST, the room page, signaling over a real
 * WebSocket, and {@code steno replay} → MediaIngest → MediaTap over the process's gRPC port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeetingsEndToEndTest {

    private static final String LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox/";

    @TempDir
    static Path dataDir;

    private StenoProcess steno;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void boot() throws Exception {
        steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll());
        steno.start();
    }

    @AfterAll
    void shutdown() {
        if (steno != null) {
            steno.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + steno.httpPort();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A public meeting: guests enter by the link (the lobby of trusted ones is LobbyEndToEndTest's). */
    private String createMeeting() throws Exception {
        HttpResponse<String> r = post("/api/meetings", "{\"title\":\"Council\",\"accessLevel\":\"public\"}");
        assertThat(r.statusCode()).isEqualTo(201);
        return json.readTree(r.body()).path("id").asString();
    }

    private String joinToken(String id, String name) throws Exception {
        HttpResponse<String> r = post("/api/meetings/" + id + "/join", "{\"displayName\":\"" + name + "\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).path("token").asString();
    }

    @Test
    void createGetJoinAndTheRoomPage() throws Exception {
        HttpResponse<String> c = post("/api/meetings", "{\"title\":\"Council\",\"accessLevel\":\"public\"}");
        assertThat(c.statusCode()).isEqualTo(201);
        JsonNode created = json.readTree(c.body());
        assertThat(created.path("accessLevel").asString()).isEqualTo("public");
        String id = created.path("id").asString();
        assertThat(id).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");
        assertThat(created.path("joinUrl").asString()).isEqualTo(steno.publicUrl() + "/m/" + id);

        JsonNode got = json.readTree(get("/api/meetings/" + id).body());
        assertThat(got.path("title").asString()).isEqualTo("Council");
        assertThat(got.path("participantCount").asInt()).isZero();

        HttpResponse<String> j = post("/api/meetings/" + id + "/join", "{\"displayName\":\"Alice\"}");
        assertThat(j.statusCode()).isEqualTo(200);
        assertThat(json.readTree(j.body()).path("token").asString()).contains(".");
        // Nobody signed in: a guest, and a guest is never the host, even the first to join.
        assertThat(json.readTree(j.body()).path("role").asString()).isEqualTo("participant");
        assertThat(json.readTree(j.body()).path("identity").asString()).startsWith("guest:");

        HttpResponse<String> page = get("/m/" + id);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("id=\"display-name\"").contains("id=\"join\"").contains("room.js");
        assertThat(get("/m/zzz-zzzz-zzz").statusCode()).isEqualTo(404);
        assertThat(get("/room.js").statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsGetJsonErrors() throws Exception {
        String id = createMeeting();
        Map<String, Integer> joins = Map.of(
                "{not json", 400, "", 400, "[]", 400, "{}", 400, "{\"displayName\":\"\"}", 400,
                "{\"displayName\":\"" + "n".repeat(101) + "\"}", 400, "{\"displayName\":[1]}", 400);
        for (var e : joins.entrySet()) {
            HttpResponse<String> r = post("/api/meetings/" + id + "/join", e.getKey());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(json.readTree(r.body()).path("error").asString()).as(e.getKey()).isNotBlank();
            assertThat(r.body()).doesNotContain("Exception");
        }
        assertThat(post("/api/meetings/abc-defg-hij/join", "{\"displayName\":\"A\"}").statusCode()).isEqualTo(404);
        assertThat(get("/api/meetings/abc-defg-hij").statusCode()).isEqualTo(404);
        assertThat(post("/api/meetings", "{\"title\":").statusCode()).isEqualTo(400);
    }

    /** A WebSocket client that queues what it receives. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }

        JsonNode next(JsonMapper json) throws InterruptedException {
            String m = messages.poll(10, TimeUnit.SECONDS);
            assertThat(m).as("a message within 10 s").isNotNull();
            return json.readTree(m);
        }

        JsonNode nextOfType(JsonMapper json, String type) throws InterruptedException {
            while (true) {
                JsonNode n = next(json);
                if (n.path("type").asString().equals(type)) {
                    return n;
                }
            }
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }
    }

    private Client connect(String id, String token) throws Exception {
        Client c = new Client();
        c.ws = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + id), c)
                .get(10, TimeUnit.SECONDS);
        if (token != null) {
            // As the web app does: the token in the first message, never in the URL.
            c.send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
        }
        return c;
    }

    @Test
    void signalingOverARealWebSocket() throws Exception {
        String id = createMeeting();
        Client alice = connect(id, joinToken(id, "Alice"));
        JsonNode joined = alice.next(json);
        assertThat(joined.path("type").asString()).isEqualTo("joined");
        assertThat(joined.path("displayName").asString()).isEqualTo("Alice");

        // Garbage gets an error and the connection stays.
        alice.send("this is not json");
        assertThat(alice.next(json).path("code").asString()).isEqualTo("bad-message");
        alice.send("{\"type\":\"teleport\"}");
        assertThat(alice.next(json).path("code").asString()).isEqualTo("unknown-type");
        alice.send("{\"type\":\"ping\",\"id\":\"p1\"}");
        assertThat(alice.next(json).path("type").asString()).isEqualTo("pong");
        alice.send("{\"type\":\"offer\",\"sdp\":\"v=0\"}"); // no media plane wired yet, or a bad SDP: an error, not a crash
        JsonNode offerAnswer = alice.next(json);
        assertThat(offerAnswer.path("type").asString()).isIn("answer", "error");

        // Bob joins with the token in a first message instead of the query.
        Client bob = connect(id, null);
        bob.send("{\"type\":\"join\",\"token\":\"" + joinToken(id, "Bob") + "\"}");
        JsonNode bobJoined = bob.nextOfType(json, "joined");
        assertThat(bobJoined.path("participants")).hasSize(2);
        JsonNode seen = alice.nextOfType(json, "participant-joined");
        assertThat(seen.path("participant").path("displayName").asString()).isEqualTo("Bob");
        assertThat(json.readTree(get("/api/meetings/" + id).body()).path("participantCount").asInt()).isEqualTo(2);

        // Bob's socket drops: Alice is told, the registry forgets him.
        bob.ws.abort();
        JsonNode left = alice.nextOfType(json, "participant-left");
        assertThat(left.path("participantId").asString()).isEqualTo(bobJoined.path("participantId").asString());

        alice.send("{\"type\":\"leave\"}");
        assertThat(alice.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
        assertThat(json.readTree(get("/api/meetings/" + id).body()).path("participantCount").asInt()).isZero();
    }

    @Test
    void aMessageOverTheLimitGetsAnErrorAndOneFarOverItACloseThatIsLogged() throws Exception {
        ch.qos.logback.classic.Logger routes = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.steno.server.http.MeetingRoutes.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        routes.addAppender(log);
        try {
            String id = createMeeting();
            Client alice = connect(id, joinToken(id, "Alice"));
            String pid = alice.next(json).path("participantId").asString();
            // Just over 64 KiB (Jetty's default limit, which closed such offers without a word): a readable error,
            // and the connection stays.
            alice.send("{\"type\":\"offer\",\"sdp\":\"v=0" + "x".repeat(70_000) + "\"}");
            JsonNode err = alice.nextOfType(json, "error");
            assertThat(err.path("code").asString()).isEqualTo("too-large");
            alice.send("{\"type\":\"ping\",\"id\":1}");
            assertThat(alice.nextOfType(json, "pong").path("id").asInt()).isEqualTo(1);
            // Past the socket's own limit (3 bytes per allowed character): Jetty closes with 1009, and it is logged.
            alice.ws.sendText("x".repeat(250_000), true);
            assertThat(alice.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1009);
            long end = System.currentTimeMillis() + 5000;
            while (System.currentTimeMillis() < end && log.list.stream()
                    .noneMatch(e -> e.getFormattedMessage().contains("closed: 1009"))) {
                Thread.sleep(50);
            }
            assertThat(log.list).map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .anySatisfy(m -> assertThat(m).contains("signaling socket of " + pid + " closed: 1009")
                            .containsIgnoringCase("too large"));
            assertThat(json.readTree(get("/api/meetings/" + id).body()).path("participantCount").asInt()).isZero();
        } finally {
            routes.detachAppender(log);
        }
    }

    @Test
    void aBadTokenGetsAnErrorAndAClose() throws Exception {
        String id = createMeeting();
        Client c = connect(id, "forged.token");
        JsonNode err = c.next(json);
        assertThat(err.path("type").asString()).isEqualTo("error");
        assertThat(err.path("code").asString()).isEqualTo("bad-token");
        assertThat(c.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
        // A token of another meeting does not open this one.
        String other = createMeeting();
        Client d = connect(id, joinToken(other, "Mallory"));
        assertThat(d.next(json).path("code").asString()).isEqualTo("bad-token");
        assertThat(d.closed.get(10, TimeUnit.SECONDS)).isEqualTo(4401);
    }

    @Test
    void replayToolFeedsMediaTapUnderTheSpeakersNames() throws Exception {
        String id = createMeeting();
        ManagedChannel ch = steno.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", steno.grpcPort()).usePlaintext()).build();
        LinkedBlockingQueue<MediaEvent> events = new LinkedBlockingQueue<>();
        try {
            MediaTapGrpc.newStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS).subscribe(
                    SubscribeRequest.newBuilder().setMeetingId(id).setSubscriberName("e2e").build(), new StreamObserver<>() {
                        @Override
                        public void onNext(MediaEvent value) {
                            events.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            assertThat(events.poll(10, TimeUnit.SECONDS).hasStarted()).isTrue();

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Steno.run(new String[] {"replay", "--meeting", id,
                    "--speaker", "Alice=" + LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0880.wav",
                    "--speaker", "Bob=" + LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0930.wav",
                    "--fast", "--server", "127.0.0.1:" + steno.grpcPort(), "--token-file", steno.config().dataDir().resolve("service-token").toString()}, Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Alice: participant").contains("Bob: participant");

            List<MediaEvent> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (got.stream().filter(MediaEvent::hasParticipantLeft).count() < 2 && System.nanoTime() < deadline) {
                MediaEvent e = events.poll(500, TimeUnit.MILLISECONDS);
                if (e != null) {
                    got.add(e);
                }
            }
            Map<String, Long> seconds = got.stream().filter(MediaEvent::hasAudioFrame)
                    .collect(Collectors.groupingBy(e -> e.getAudioFrame().getSpeakerDisplayName(),
                            Collectors.summingLong(e -> e.getAudioFrame().getPcm().size() / 2)));
            assertThat(seconds).containsOnlyKeys("Alice", "Bob");
            assertThat(seconds.get("Alice")).isEqualTo(47_840L); // 2.99 s at 16 kHz, every sample
            assertThat(seconds.get("Bob")).isEqualTo(52_640L);   // 3.29 s
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void replayToolSaysWhatIsWrong() {
        String grpc = "127.0.0.1:" + steno.grpcPort();
        String token = steno.config().dataDir().resolve("service-token").toString();
        String wav = LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0880.wav";
        assertThat(runReplay("--speaker", "A=" + wav)).startsWith("2:").contains("--meeting is required");
        assertThat(runReplay("--meeting", "abc-defg-hij")).startsWith("2:").contains("--speaker");
        assertThat(runReplay("--meeting", "abc-defg-hij", "--speaker", "nofile")).startsWith("2:").contains("Name=file.wav");
        assertThat(runReplay("--meeting", "abc-defg-hij", "--speaker", "A=/no/such.wav", "--server", grpc, "--token-file", token))
                .startsWith("2:").contains("/no/such.wav");
        assertThat(runReplay("--meeting", "abc-defg-hij", "--speaker", "A=" + wav, "--fast", "--server", grpc, "--token-file", token))
                .startsWith("2:").contains("NOT_FOUND");
        assertThat(runReplay("--meeting", "abc-defg-hij", "--speaker", "A=" + wav, "--fast", "--server", grpc,
                "--token-file", "/no/such/token")).startsWith("2:").contains("cannot read the service token /no/such/token");
        assertThat(runReplay("--meeting", "abc-defg-hij", "--speaker", "A=" + wav, "--server", "127.0.0.1:1", "--token-file", token))
                .startsWith("1:").contains("no Steno MediaIngest");
        assertThat(runReplay("--meeting", "x", "--bogus")).startsWith("2:").contains("unknown argument");
    }

    private static String runReplay(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "replay";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Steno.run(all, Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + ":" + err.toString(StandardCharsets.UTF_8);
    }
}
