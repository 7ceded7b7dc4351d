package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionIngestGrpc;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * Captions published to this process's CaptionIngest (gRPC) reach a browser on the caption
 * WebSocket of that meeting, as protobuf JSON, and a late joiner gets the last lines; the
 * embedded pipeline reports what it waits for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaptionSocketTest {

    @TempDir
    static Path dataDir;

    private StenoProcess steno;
    private ManagedChannel channel;

    @BeforeAll
    void boot() throws Exception {
        steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll());
        steno.start();
        channel = steno.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", steno.grpcPort()).usePlaintext()).build();
    }

    @AfterAll
    void shutdown() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        steno.close();
    }

    static final class Collector implements WebSocket.Listener {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                messages.add(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private WebSocket open(String meeting, Collector c) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meeting + "/captions"), c)
                .get(5, TimeUnit.SECONDS);
    }

    private void publish(String meeting, String seg, int rev, CaptionKind kind, String text) {
        CaptionIngestGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .publishOne(CaptionEvent.newBuilder().setMeetingId(meeting).setSegmentId(seg).setRevision(rev).setKind(kind)
                        .setSpeakerDisplayName("Alice Martin").setText(text).build());
    }

    private static void await(Collector c, int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (c.messages.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void captionsReachTheMeetingsSocketAndALateJoinerGetsTheLastLines() throws Exception {
        Collector mine = new Collector();
        Collector other = new Collector();
        WebSocket a = open("caption-room", mine);
        WebSocket b = open("another-room", other);
        publish("caption-room", "t1/0-0", 0, CaptionKind.CAPTION_KIND_INTERIM, "hello");
        publish("caption-room", "t1/0-0", 1, CaptionKind.CAPTION_KIND_FINAL, "hello there");
        await(mine, 2);
        assertThat(mine.messages).hasSize(2);
        assertThat(mine.messages.get(1)).contains("\"segmentId\":\"t1/0-0\"").contains("\"text\":\"hello there\"")
                .contains("\"speakerDisplayName\":\"Alice Martin\"").contains("CAPTION_KIND_FINAL");
        assertThat(other.messages).isEmpty();

        Collector late = new Collector();
        WebSocket c = open("caption-room", late);
        await(late, 1);
        assertThat(late.messages).hasSize(1);
        assertThat(late.messages.get(0)).contains("hello there");
        for (WebSocket ws : List.of(a, b, c)) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readinessTellsWhatThePipelineIsDoing() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + steno.httpPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("\"name\":\"pipeline\"").contains("captions on").contains("\"name\":\"subtitles\"");
    }
}
