package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.proto.speech.v1.RecognitionResults;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** A slow side holds the other back through the proxy: the relay never buffers without bound. */
class RemoteBackPressureTest {

    static final Logger LOG = LoggerFactory.getLogger(RemoteBackPressureTest.class);
    static final int CHUNK = 32 * 1024;
    static final long CAP_BYTES = 64L * 1024 * 1024;

    /**
     * Test double: never reads audio (manual flow control, nothing requested); with {@code flood}
     * it sends 32 KiB responses for as long as its stream is ready.
     */
    static final class StalledTranscriber extends TranscriberGrpc.TranscriberImplBase {
        final AtomicLong audioReceived = new AtomicLong();
        final AtomicInteger responsesSent = new AtomicInteger();
        volatile boolean flood;

        @Override
        public StreamObserver<StreamingRecognizeRequest> streamingRecognize(
                StreamObserver<StreamingRecognizeResponse> responses) {
            ServerCallStreamObserver<StreamingRecognizeResponse> out =
                    (ServerCallStreamObserver<StreamingRecognizeResponse>) responses;
            out.disableAutoRequest();
            if (flood) {
                StreamingRecognizeResponse big = StreamingRecognizeResponse.newBuilder()
                        .setStreamId("x".repeat(CHUNK)).setResults(RecognitionResults.getDefaultInstance()).build();
                out.setOnReadyHandler(() -> {
                    while (out.isReady() && responsesSent.get() < CAP_BYTES / CHUNK) {
                        out.onNext(big);
                        responsesSent.incrementAndGet();
                    }
                });
            }
            return new StreamObserver<>() {
                @Override
                public void onNext(StreamingRecognizeRequest value) {
                    audioReceived.addAndGet(value.getAudio().size());
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                    out.onCompleted();
                }
            };
        }
    }

    static final StalledTranscriber remote = new StalledTranscriber();
    static Server remoteServer;
    static RemoteSpeechClient client;
    static Server proxy;
    static ManagedChannel callerChannel;

    @BeforeAll
    static void start() throws Exception {
        remoteServer = RemoteTestKit.startServer(0, remote);
        client = new RemoteSpeechClient(RemoteEngineSettings.plaintext("127.0.0.1:" + remoteServer.getPort()));
        proxy = RemoteTestKit.startServer(0, new RemoteTranscriberService(client));
        callerChannel = RemoteTestKit.plaintextChannel(proxy);
    }

    @AfterAll
    static void stop() throws Exception {
        RemoteTestKit.stop(callerChannel);
        RemoteTestKit.stop(proxy);
        client.close();
        RemoteTestKit.stop(remoteServer);
    }

    /** Opens a stream whose caller reads no responses; returns its request side once started. */
    static ClientCallStreamObserver<StreamingRecognizeRequest> openNotReading() throws Exception {
        CompletableFuture<ClientCallStreamObserver<StreamingRecognizeRequest>> call = new CompletableFuture<>();
        TranscriberGrpc.newStub(callerChannel).streamingRecognize(
                new ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> requestStream) {
                        requestStream.disableAutoRequestWithInitial(0);
                        call.complete(requestStream);
                    }

                    @Override
                    public void onNext(StreamingRecognizeResponse value) {
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        return call.get(5, TimeUnit.SECONDS);
    }

    @Test
    void callerFasterThanTheRemoteIsHeldBack() throws Exception {
        remote.flood = false;
        ClientCallStreamObserver<StreamingRecognizeRequest> requests = openNotReading();
        StreamingRecognizeRequest chunk = StreamingRecognizeRequest.newBuilder()
                .setAudio(ByteString.copyFrom(new byte[CHUNK])).build();
        long sent = 0;
        long lastProgress = System.nanoTime();
        // Send while the transport accepts; stop once it has refused for 1.5 s (or at the cap).
        while (sent < CAP_BYTES && System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(1500)) {
            if (requests.isReady()) {
                requests.onNext(chunk);
                sent += CHUNK;
                lastProgress = System.nanoTime();
            } else {
                Thread.sleep(5);
            }
        }
        requests.cancel("test over", null);
        LOG.info("caller held back after {} KiB of audio the remote never read", sent / 1024);

        assertThat(remote.audioReceived.get()).isZero();
        // Caller→proxy window + one relayed message + proxy→remote window: a few MiB, not the 64 MiB cap.
        assertThat(sent).isLessThan(16L * 1024 * 1024);
    }

    @Test
    void remoteFasterThanTheCallerReadsIsHeldBack() throws Exception {
        remote.flood = true;
        remote.responsesSent.set(0);
        ClientCallStreamObserver<StreamingRecognizeRequest> requests = openNotReading();
        int seen = -1;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            Thread.sleep(500);
            int now = remote.responsesSent.get();
            if (now == seen && now > 0) {
                break;
            }
            seen = now;
        }
        requests.cancel("test over", null);
        LOG.info("remote held back after {} KiB of responses the caller never read", (long) seen * CHUNK / 1024);

        assertThat(seen).isPositive();
        assertThat((long) seen * CHUNK).isLessThan(16L * 1024 * 1024);
    }
}
