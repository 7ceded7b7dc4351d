package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** Caller → proxy (Remote*Service over netty) → "remote" server (fixed-answer doubles over netty). */
class RemoteSpeechServicesTest {

    static final FixedAnswerTranscriber remoteTranscriber = new FixedAnswerTranscriber();
    static final FixedAnswerDiarizer remoteDiarizer = new FixedAnswerDiarizer();
    static Server remoteServer;
    static RemoteSpeechClient client;
    static Server proxy;
    static ManagedChannel callerChannel;
    static String target;

    @BeforeAll
    static void start() throws Exception {
        remoteServer = RemoteTestKit.startServer(0, remoteTranscriber, remoteDiarizer);
        target = "127.0.0.1:" + remoteServer.getPort();
        client = new RemoteSpeechClient(RemoteEngineSettings.plaintext(target)
                .withCallDeadline(Duration.ofMillis(800)));
        proxy = RemoteTestKit.startServer(0, new RemoteTranscriberService(client), new RemoteDiarizerService(client));
        callerChannel = RemoteTestKit.plaintextChannel(proxy);
    }

    @AfterAll
    static void stop() throws Exception {
        RemoteTestKit.stop(callerChannel);
        RemoteTestKit.stop(proxy);
        client.close();
        RemoteTestKit.stop(remoteServer);
    }

    @BeforeEach
    void answering() {
        remoteTranscriber.silent = false;
        remoteDiarizer.silent = false;
    }

    static List<StreamingRecognizeRequest> configChunksFlush(String streamId, int chunks) {
        List<StreamingRecognizeRequest> requests = new ArrayList<>();
        requests.add(StreamingRecognizeRequest.newBuilder().setConfig(StreamingRecognitionConfig.newBuilder()
                .setStreamId(streamId).setInterimResults(true)
                .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US"))).build());
        for (int i = 0; i < chunks; i++) {
            byte[] audio = new byte[3200];
            audio[0] = (byte) i;
            requests.add(StreamingRecognizeRequest.newBuilder().setAudio(ByteString.copyFrom(audio)).build());
        }
        requests.add(StreamingRecognizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("f-" + streamId)).build());
        return requests;
    }

    /** Sends all requests, half-closes, and returns every response (or throws the stream's status). */
    static List<StreamingRecognizeResponse> stream(ManagedChannel channel, List<StreamingRecognizeRequest> requests)
            throws Exception {
        CompletableFuture<List<StreamingRecognizeResponse>> done = new CompletableFuture<>();
        List<StreamingRecognizeResponse> responses = new ArrayList<>();
        var requestStream = TranscriberGrpc.newStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .streamingRecognize(new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(StreamingRecognizeResponse value) {
                        responses.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(responses);
                    }
                });
        requests.forEach(requestStream::onNext);
        requestStream.onCompleted();
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void streamingRecognizeRelaysEveryMessageIntactBothWays() throws Exception {
        remoteTranscriber.received.clear();
        remoteTranscriber.sent.clear();
        List<StreamingRecognizeRequest> requests = configChunksFlush("s1", 5);

        List<StreamingRecognizeResponse> responses = stream(callerChannel, requests);

        assertThat(remoteTranscriber.received).containsExactlyElementsOf(requests);
        assertThat(responses).containsExactlyElementsOf(remoteTranscriber.sent);
        assertThat(responses.get(0).getStreamId()).isEqualTo("s1");
        assertThat(responses.get(0).hasStarted()).isTrue();
        assertThat(responses.subList(1, 6)).allSatisfy(r -> assertThat(r.getResults().getResults(0).getIsFinal()).isFalse());
        assertThat(responses.get(5).getResults().getResults(0).getAlternatives(0).getTranscript())
                .isEqualTo("heard 16000 bytes");
        assertThat(responses.get(6).getResults().getResults(0).getIsFinal()).isTrue();
        assertThat(responses.get(6).getResults().getResults(0).getAlternatives(0).getTranscript())
                .isEqualTo(FixedAnswerTranscriber.FINAL_TEXT);
        StreamingRecognizeResponse last = responses.get(responses.size() - 1);
        assertThat(last.getFlushDone().getId()).isEqualTo("f-s1");
        assertThat(last.getFlushDone().getOffset().getNanos()).isEqualTo(500_000_000);
    }

    @Test
    void manyChunksFasterThanTheRemoteReadsAllArriveInOrder() throws Exception {
        remoteTranscriber.received.clear();
        List<StreamingRecognizeRequest> requests = configChunksFlush("s-many", 400);

        List<StreamingRecognizeResponse> responses = stream(callerChannel, requests);

        assertThat(remoteTranscriber.received).containsExactlyElementsOf(requests);
        assertThat(responses).hasSize(1 + 400 + 3);
        assertThat(responses.get(400).getResults().getResults(0).getRevision()).isEqualTo(400);
    }

    @Test
    void streamingDiarizeRelays() throws Exception {
        CompletableFuture<List<StreamingDiarizeResponse>> done = new CompletableFuture<>();
        List<StreamingDiarizeResponse> responses = new ArrayList<>();
        var requests = DiarizerGrpc.newStub(callerChannel).streamingDiarize(new io.grpc.stub.StreamObserver<>() {
            @Override
            public void onNext(StreamingDiarizeResponse value) {
                responses.add(value);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                done.complete(responses);
            }
        });
        requests.onNext(StreamingDiarizeRequest.newBuilder().setConfig(DiarizationConfig.newBuilder().setStreamId("d1")).build());
        requests.onNext(StreamingDiarizeRequest.newBuilder().setAudio(ByteString.copyFrom(new byte[3200])).build());
        requests.onNext(StreamingDiarizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("fd")).build());
        requests.onCompleted();

        assertThat(done.get(10, TimeUnit.SECONDS)).hasSize(2);
        assertThat(responses.get(0).getStreamId()).isEqualTo("d1");
        assertThat(responses.get(1).getFlushDone().getId()).isEqualTo("fd");
    }

    @Test
    void unaryRecognizeAndDiarizePassThrough() {
        RecognizeResponse recognized = TranscriberGrpc.newBlockingStub(callerChannel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .recognize(RecognizeRequest.newBuilder().setRequestId("r-7")
                        .setContent(ByteString.copyFrom(new byte[32000])).build());
        assertThat(recognized.getRequestId()).isEqualTo("r-7");
        assertThat(recognized.getResults(0).getAlternatives(0).getTranscript()).isEqualTo(FixedAnswerTranscriber.FINAL_TEXT);
        assertThat(recognized.getAudioDuration().getSeconds()).isEqualTo(1);

        DiarizeResponse diarized = DiarizerGrpc.newBlockingStub(callerChannel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .diarize(DiarizeRequest.newBuilder().setContent(ByteString.copyFrom(new byte[64000])).build());
        assertThat(diarized).isEqualTo(FixedAnswerDiarizer.fixedResponse());
    }

    @Test
    void remoteThatNeverAnswersGivesDeadlineExceededWithinTheDeadline() {
        remoteTranscriber.silent = true;
        remoteDiarizer.silent = true;

        long start = System.nanoTime();
        assertThatThrownBy(() -> TranscriberGrpc.newBlockingStub(callerChannel).recognize(RecognizeRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                    assertThat(e.getStatus().getDescription()).startsWith("speech server " + target + " did not answer in time");
                });
        long recognizeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(recognizeMs).isBetween(700L, 2_000L);

        start = System.nanoTime();
        assertThatThrownBy(() -> DiarizerGrpc.newBlockingStub(callerChannel).diarize(DiarizeRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(700L, 2_000L);
    }

    @Test
    void callerCancellingAStreamCancelsTheRemoteStream() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<ClientCallStreamObserver<StreamingRecognizeRequest>> call = new CompletableFuture<>();
        var requests = TranscriberGrpc.newStub(callerChannel).streamingRecognize(
                new ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> requestStream) {
                        call.complete(requestStream);
                    }

                    @Override
                    public void onNext(StreamingRecognizeResponse value) {
                        started.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(configChunksFlush("s-cancel", 0).get(0));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        call.get().cancel("caller leaves", null);

        assertThat(remoteTranscriber.streamCancelled.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callerCancellingAUnaryCallCancelsTheRemoteCall() throws Exception {
        remoteTranscriber.silent = true;
        var future = TranscriberGrpc.newFutureStub(callerChannel).recognize(RecognizeRequest.getDefaultInstance());
        Thread.sleep(200);
        future.cancel(true);
        assertThat(remoteTranscriber.unaryCancelled.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void remoteErrorKeepsItsCodeAndNamesTheTarget() {
        assertThatThrownBy(() -> TranscriberGrpc.newBlockingStub(callerChannel)
                .recognize(RecognizeRequest.newBuilder().setRequestId("refuse-1").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(
                            "speech server " + target + " answered INVALID_ARGUMENT: no audio in request refuse-1");
                });
        assertThat(client.readiness().ready()).isTrue();
    }

    @Test
    void remoteThatAnswersUnavailableItselfIsNotReadyRatherThanUnreachable() {
        assertThatThrownBy(() -> TranscriberGrpc.newBlockingStub(callerChannel)
                .recognize(RecognizeRequest.newBuilder().setRequestId("not-ready").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("speech server " + target + " is not ready: model still loading");
                });
    }
}
