package org.steno.models.remote;

import static org.steno.models.remote.RemoteTestKit.ms;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.steno.proto.speech.v1.EndOfUtterance;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.RecognitionResults;
import org.steno.proto.speech.v1.RecognitionStarted;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.SpeechRecognitionAlternative;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * Test double for a remote speech server: answers with fixed, known messages so a test can check
 * that the proxy passes everything through unchanged. Per audio chunk one interim ("heard N
 * bytes"); per flush a final "fixed answer", an EndOfUtterance and FlushDone with the offset of
 * the audio so far (LINEAR16 16 kHz: 32 bytes per ms). Recognize with a request id starting
 * "refuse" fails INVALID_ARGUMENT, the id "not-ready" UNAVAILABLE "model still loading". Records what it received and sent.
 */
final class FixedAnswerTranscriber extends TranscriberGrpc.TranscriberImplBase {

    static final String FINAL_TEXT = "fixed answer";

    final List<StreamingRecognizeRequest> received = new CopyOnWriteArrayList<>();
    final List<StreamingRecognizeResponse> sent = new CopyOnWriteArrayList<>();
    final CountDownLatch streamCancelled = new CountDownLatch(1);
    final CountDownLatch unaryCancelled = new CountDownLatch(1);
    /** When set, Recognize never answers (to test deadlines). */
    volatile boolean silent;

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
        ((ServerCallStreamObserver<RecognizeResponse>) responses).setOnCancelHandler(unaryCancelled::countDown);
        if (silent) {
            return;
        }
        if (request.getRequestId().equals("not-ready")) {
            responses.onError(io.grpc.Status.UNAVAILABLE.withDescription("model still loading").asRuntimeException());
            return;
        }
        if (request.getRequestId().startsWith("refuse")) {
            responses.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription("no audio in request "
                    + request.getRequestId()).asRuntimeException());
            return;
        }
        responses.onNext(RecognizeResponse.newBuilder()
                .setRequestId(request.getRequestId())
                .addResults(result("u1", true, FINAL_TEXT))
                .setAudioDuration(ms(request.getContent().size() / 32))
                .build());
        responses.onCompleted();
    }

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(
            StreamObserver<StreamingRecognizeResponse> responses) {
        ServerCallStreamObserver<StreamingRecognizeResponse> out =
                (ServerCallStreamObserver<StreamingRecognizeResponse>) responses;
        out.setOnCancelHandler(streamCancelled::countDown);
        return new StreamObserver<>() {
            long bytes;
            int chunks;

            @Override
            public void onNext(StreamingRecognizeRequest request) {
                received.add(request);
                switch (request.getRequestCase()) {
                    case CONFIG -> send(StreamingRecognizeResponse.newBuilder()
                            .setStreamId(request.getConfig().getStreamId())
                            .setStarted(RecognitionStarted.newBuilder().setLanguageCode("en-US")));
                    case AUDIO -> {
                        bytes += request.getAudio().size();
                        chunks++;
                        send(StreamingRecognizeResponse.newBuilder()
                                .setAudioProcessed(ms(bytes / 32))
                                .setResults(RecognitionResults.newBuilder()
                                        .addResults(result("u1", false, "heard " + bytes + " bytes")
                                                .toBuilder().setRevision(chunks).setStability(0.5f))));
                    }
                    case FLUSH -> {
                        send(StreamingRecognizeResponse.newBuilder()
                                .setResults(RecognitionResults.newBuilder().addResults(result("u1", true, FINAL_TEXT))));
                        send(StreamingRecognizeResponse.newBuilder()
                                .setEndOfUtterance(EndOfUtterance.newBuilder().setUtteranceId("u1")
                                        .setOffset(ms(bytes / 32))));
                        send(StreamingRecognizeResponse.newBuilder()
                                .setFlushDone(FlushDone.newBuilder().setId(request.getFlush().getId())
                                        .setOffset(ms(bytes / 32))));
                    }
                    default -> { }
                }
            }

            private void send(StreamingRecognizeResponse.Builder response) {
                StreamingRecognizeResponse built = response.build();
                sent.add(built);
                out.onNext(built);
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

    static SpeechRecognitionResult result(String utterance, boolean isFinal, String text) {
        return SpeechRecognitionResult.newBuilder()
                .setUtteranceId(utterance)
                .setIsFinal(isFinal)
                .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(text).setConfidence(0.75f))
                .setStartOffset(ms(0))
                .setEndOffset(ms(100))
                .build();
    }
}
