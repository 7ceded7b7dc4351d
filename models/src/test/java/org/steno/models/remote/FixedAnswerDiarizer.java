package org.steno.models.remote;

import static org.steno.models.remote.RemoteTestKit.ms;
import io.grpc.stub.StreamObserver;
import org.steno.proto.speech.v1.DiarizationStarted;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.FlushDone;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * Test double for a remote diarizer: Diarize answers two fixed turns (S1 0–1 s, S2 1–2 s);
 * the stream answers a config with Started and a flush with FlushDone. Can be made silent.
 */
final class FixedAnswerDiarizer extends DiarizerGrpc.DiarizerImplBase {

    volatile boolean silent;

    static DiarizeResponse fixedResponse() {
        return DiarizeResponse.newBuilder()
                .addTurns(turn("t1", "S1", 0, 1000))
                .addTurns(turn("t2", "S2", 1000, 2000))
                .setAudioDuration(ms(2000))
                .build();
    }

    private static SpeakerTurn turn(String id, String speaker, long fromMs, long toMs) {
        return SpeakerTurn.newBuilder().setTurnId(id).setIsFinal(true).setSpeakerLabel(speaker)
                .setConfidence(0.9f)
                .setStartOffset(ms(fromMs)).setEndOffset(ms(toMs))
                .build();
    }

    @Override
    public void diarize(DiarizeRequest request, StreamObserver<DiarizeResponse> responses) {
        if (silent) {
            return;
        }
        responses.onNext(fixedResponse());
        responses.onCompleted();
    }

    @Override
    public StreamObserver<StreamingDiarizeRequest> streamingDiarize(StreamObserver<StreamingDiarizeResponse> out) {
        return new StreamObserver<>() {
            @Override
            public void onNext(StreamingDiarizeRequest request) {
                if (request.hasConfig()) {
                    out.onNext(StreamingDiarizeResponse.newBuilder().setStreamId(request.getConfig().getStreamId())
                            .setStarted(DiarizationStarted.getDefaultInstance()).build());
                } else if (request.hasFlush()) {
                    out.onNext(StreamingDiarizeResponse.newBuilder()
                            .setFlushDone(FlushDone.newBuilder().setId(request.getFlush().getId())).build());
                }
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
