package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** The remote speech server goes away and comes back on the same port. */
class RemoteReconnectTest {

    Server remoteServer;
    RemoteSpeechClient client;
    Server proxy;
    ManagedChannel callerChannel;

    @AfterEach
    void stop() throws Exception {
        RemoteTestKit.stop(callerChannel);
        RemoteTestKit.stop(proxy);
        if (client != null) {
            client.close();
        }
        RemoteTestKit.stop(remoteServer);
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    void startProxyTo(int port) throws Exception {
        client = new RemoteSpeechClient(RemoteEngineSettings.plaintext("127.0.0.1:" + port)
                .withCallDeadline(Duration.ofSeconds(5))
                .withMaxReconnectBackoff(Duration.ofMillis(300)));
        proxy = RemoteTestKit.startServer(0, new RemoteTranscriberService(client), new RemoteDiarizerService(client));
        callerChannel = RemoteTestKit.plaintextChannel(proxy);
    }

    void recognizeFailsFastAsUnreachable(int port) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> TranscriberGrpc.newBlockingStub(callerChannel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .recognize(RecognizeRequest.newBuilder().setContent(ByteString.copyFrom(new byte[320])).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    // Right after the remote stopped, the call may meet its goodbye (GOAWAY) on the old
                    // connection rather than a refused new one; both are "unreachable", said as such.
                    assertThat(e.getStatus().getDescription()).matches(java.util.regex.Pattern.quote(
                            "speech server 127.0.0.1:" + port + " is unreachable (")
                            + "(connection refused|Connection closed after GOAWAY[^)]*)\\); retrying with backoff");
                });
        // Not wait-for-ready: far below the 5 s call deadline and the caller's 10 s.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }

    void awaitReady() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!client.readiness().ready() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(client.readiness().ready()).as(client.readiness().detail()).isTrue();
    }

    @Test
    void remoteDownFailsFastThenServesOnceItIsUp() throws Exception {
        int port = freePort();
        startProxyTo(port);

        recognizeFailsFastAsUnreachable(port);
        assertThat(client.readiness().ready()).isFalse();
        assertThat(client.readiness().detail()).contains("127.0.0.1:" + port, "unreachable");

        remoteServer = RemoteTestKit.startServer(port, new FixedAnswerTranscriber());
        awaitReady();
        assertThat(TranscriberGrpc.newBlockingStub(callerChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .recognize(RecognizeRequest.newBuilder().setRequestId("after-start").build()).getRequestId())
                .isEqualTo("after-start");
    }

    @Test
    void longOutageDoesNotStretchTheReconnectWaitBeyondTheCap() throws Exception {
        int port = freePort();
        startProxyTo(port); // maxReconnectBackoff 300 ms
        recognizeFailsFastAsUnreachable(port);
        // gRPC's own backoff (1 s × 1.6 per attempt, up to 2 min) would next try ~9 s in; the cap keeps it short.
        Thread.sleep(7_000);

        remoteServer = RemoteTestKit.startServer(port, new FixedAnswerTranscriber());
        long start = System.nanoTime();
        while (!client.readiness().ready() && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5)) {
            Thread.sleep(20);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_500);
    }

    @Test
    void remoteRestartedOnTheSamePortTakesTheNextStream() throws Exception {
        remoteServer = RemoteTestKit.startServer(0, new FixedAnswerTranscriber());
        int port = remoteServer.getPort();
        startProxyTo(port);
        assertThat(RemoteSpeechServicesTest.stream(callerChannel, RemoteSpeechServicesTest.configChunksFlush("before", 2)))
                .hasSize(1 + 2 + 3);

        RemoteTestKit.stop(remoteServer);
        recognizeFailsFastAsUnreachable(port);
        assertThatThrownBy(() -> RemoteSpeechServicesTest.stream(callerChannel,
                RemoteSpeechServicesTest.configChunksFlush("while-down", 1)))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));

        remoteServer = RemoteTestKit.startServer(port, new FixedAnswerTranscriber());
        awaitReady();
        List<StreamingRecognizeResponse> after = RemoteSpeechServicesTest.stream(callerChannel,
                RemoteSpeechServicesTest.configChunksFlush("after", 2));
        assertThat(after).hasSize(1 + 2 + 3);
        assertThat(after.get(0).getStreamId()).isEqualTo("after");
    }
}
