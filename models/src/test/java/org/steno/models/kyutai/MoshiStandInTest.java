package org.steno.models.kyutai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.steno.models.kyutai.KyutaiTestKit.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.steno.models.kyutai.standin.MoshiStandIn;

/**
 * The stand-in keeps moshi-server's rules, checked with a bare WebSocket client that decodes frames as
 * generic MessagePack (not with the adapter's codec): exact keys, Ready first, auth, slots, the marker
 * rule, the receive timeouts.
 */
class MoshiStandInTest {

    private final HttpClient http = HttpClient.newHttpClient();

    /** A raw client: every frame as a generic MessagePack map, with its keys in order. */
    private static final class Raw implements WebSocket.Listener {
        final List<Map<String, Value>> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream part = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            part.writeBytes(b);
            if (last) {
                try (MessageUnpacker u = MessagePack.newDefaultUnpacker(part.toByteArray())) {
                    Map<String, Value> m = new LinkedHashMap<>();
                    u.unpackValue().asMapValue().entrySet().forEach(e -> m.put(e.getKey().asStringValue().asString(), e.getValue()));
                    frames.add(m);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                part.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
        }

        List<String> types() {
            return frames.stream().map(f -> f.get("type").asStringValue().asString()).toList();
        }
    }

    private WebSocket connect(MoshiStandIn s, String header, String query, Raw raw) throws Exception {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (header != null) {
            b.header("kyutai-api-key", header);
        }
        URI u = URI.create(s.url() + "/api/asr-streaming" + (query == null ? "" : "?auth_id=" + query));
        return b.buildAsync(u, raw).get(5, TimeUnit.SECONDS);
    }

    private static void audio(WebSocket ws, float[] pcm) {
        ws.sendBinary(ByteBuffer.wrap(MoshiCodec.audio(pcm, 0, pcm.length)), true).join();
    }

    private static float[] tone(int samples) {
        float[] f = new float[samples];
        for (int i = 0; i < samples; i++) {
            f[i] = (float) (0.3 * Math.sin(2 * Math.PI * 200 * i / 24_000.0));
        }
        return f;
    }

    @Test
    void aBadKeyIs401BeforeTheUpgradeAndTheQueryParameterIsAccepted() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("a b"))) {
            assertThat(refusal(() -> connect(s, "wrong", null, new Raw()))).isEqualTo(401);
            assertThat(refusal(() -> connect(s, null, null, new Raw()))).isEqualTo(401);
            // The header wins over the query, as in main.rs.
            assertThat(refusal(() -> connect(s, "wrong", "public_token", new Raw()))).isEqualTo(401);
            assertThat(s.unauthorized()).isEqualTo(3);
            Raw raw = new Raw();
            connect(s, null, "public_token", raw);
            await("Ready", Duration.ofSeconds(5), () -> !raw.frames.isEmpty());
            assertThat(raw.types().get(0)).isEqualTo("Ready");
            assertThat(raw.frames.get(0).keySet()).containsExactly("type");
        }
    }

    /** The HTTP status of a refused upgrade. */
    private static int refusal(org.assertj.core.api.ThrowableAssert.ThrowingCallable connect) {
        try {
            connect.call();
        } catch (Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
            }
            throw new AssertionError("not a refused upgrade", t);
        }
        throw new AssertionError("the upgrade succeeded");
    }

    @Test
    void messagesHaveMoshiServersKeysAndAWordComesTheDelayAfterItsAudio() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("hello world"))) {
            Raw raw = new Raw();
            WebSocket ws = connect(s, "public_token", null, raw);
            audio(ws, new float[1920 * 2]);
            audio(ws, tone(1920 * 5));
            audio(ws, new float[1920]); // the word ends here, at frame 7
            await("Steps", Duration.ofSeconds(5), () -> raw.types().stream().filter("Step"::equals).count() == 8);
            assertThat(raw.types()).doesNotContain("Word"); // 6 steps of delay have not passed
            audio(ws, new float[1920 * 6]);
            await("Word", Duration.ofSeconds(5), () -> raw.types().contains("EndWord"));
            Map<String, Value> word = raw.frames.stream().filter(f -> f.get("type").toString().equals("Word")).findFirst().orElseThrow();
            assertThat(word.keySet()).containsExactly("type", "text", "start_time");
            assertThat(word.get("text").asStringValue().asString()).isEqualTo("hello");
            assertThat(word.get("start_time").asFloatValue().toDouble()).isEqualTo(2 / 12.5);
            Map<String, Value> end = raw.frames.stream().filter(f -> f.get("type").toString().equals("EndWord")).findFirst().orElseThrow();
            assertThat(end.keySet()).containsExactly("type", "stop_time");
            assertThat(end.get("stop_time").asFloatValue().toDouble()).isEqualTo(7 / 12.5);
            Map<String, Value> step = raw.frames.stream().filter(f -> f.get("type").toString().equals("Step")).findFirst().orElseThrow();
            assertThat(step.keySet()).containsExactly("type", "step_idx", "prs", "buffered_pcm");
            assertThat(step.get("prs").asArrayValue().size()).isEqualTo(4);
            // The word is sent once 6 more frames (the delay) have been stepped after it ended.
            int wordAt = raw.types().indexOf("Word");
            long stepsBefore = raw.types().subList(0, wordAt).stream().filter("Step"::equals).count();
            assertThat(stepsBefore).isEqualTo(7 + 6 - 1);
        }
    }

    @Test
    void aMarkerComesBackOnlyAfterTheDelayHasPassedOverFurtherAudio() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("a"))) {
            Raw raw = new Raw();
            WebSocket ws = connect(s, "public_token", null, raw);
            audio(ws, tone(1920 * 3));
            ws.sendBinary(ByteBuffer.wrap(MoshiCodec.marker(42)), true).join();
            Thread.sleep(500);
            assertThat(raw.types()).doesNotContain("Marker"); // no more audio: it never comes back
            for (int i = 0; i < 5; i++) {
                audio(ws, new float[1920]);
            }
            Thread.sleep(300);
            assertThat(raw.types()).doesNotContain("Marker"); // 5 < 6 frames of delay
            audio(ws, new float[1920]);
            await("Marker", Duration.ofSeconds(5), () -> raw.types().contains("Marker"));
            Map<String, Value> m = raw.frames.stream().filter(f -> f.get("type").toString().equals("Marker")).findFirst().orElseThrow();
            assertThat(m.keySet()).containsExactly("type", "id");
            assertThat(m.get("id").asIntegerValue().toLong()).isEqualTo(42);
        }
    }

    @Test
    void whenEverySlotIsTakenTheNextClientGetsNoFreeChannelsThenAClose() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("a").withBatchSize(2))) {
            WebSocket a = connect(s, "public_token", null, new Raw());
            connect(s, "public_token", null, new Raw());
            Raw third = new Raw();
            connect(s, "public_token", null, third);
            assertThat(third.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
            assertThat(third.frames).hasSize(1);
            assertThat(third.frames.get(0).keySet()).containsExactly("type", "message");
            assertThat(third.frames.get(0).get("message").asStringValue().asString()).isEqualTo("no free channels");
            assertThat(s.refusedNoSlot()).isEqualTo(1);
            a.sendClose(1000, "").join();
            await("a free slot", Duration.ofSeconds(5), () -> s.slotsInUse() == 1);
            Raw fourth = new Raw();
            connect(s, "public_token", null, fourth);
            await("Ready", Duration.ofSeconds(5), () -> fourth.types().contains("Ready"));
        }
    }

    @Test
    void aClientThatSendsNothingIsDroppedAtTheLongTimeoutWhilePongsKeepTheShortOneAway() throws Exception {
        MoshiStandIn.Options o = KyutaiTestKit.options("a").withTimeouts(Duration.ofMillis(300), Duration.ofMillis(1500));
        try (MoshiStandIn s = new MoshiStandIn(o)) {
            Raw raw = new Raw();
            long t0 = System.nanoTime();
            connect(s, "public_token", null, raw);
            raw.closed.get(10, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // The JDK answers the pings every 300 ms, so the 600 ms receive timeout never fires; the 1.5 s
            // "no binary frame" timeout does, at the first pong after it.
            assertThat(ms).isBetween(1_400L, 3_000L);
            assertThat(s.dropped()).isEqualTo(1);
        }
    }

    @Test
    void aFrameThatIsNotAMessageDropsTheClient() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("a"))) {
            Raw raw = new Raw();
            WebSocket ws = connect(s, "public_token", null, raw);
            ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xc1, 1, 2}), true).join();
            raw.closed.get(5, TimeUnit.SECONDS);
            assertThat(s.dropped()).isEqualTo(1);
            await("slot freed", Duration.ofSeconds(5), () -> s.slotsInUse() == 0);
        }
    }

    @Test
    void theBuildInfoRouteAnswersWithoutAKey() throws Exception {
        try (MoshiStandIn s = new MoshiStandIn(KyutaiTestKit.options("a"))) {
            var res = http.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/build_info")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(new ArrayList<>(List.of(res.body()))).allMatch(b -> b.startsWith("{"));
        }
    }
}
