package org.steno.models.kyutai;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * The Transcriber contract served by Kyutai's STT server (moshi-server): every StreamingRecognize call
 * is one {@link KyutaiStreamingSession} on its own WebSocket, so each takes one of the server's batch
 * slots while it lasts. Whole-file Recognize is not served: moshi-server transcribes live streams.
 */
public final class KyutaiTranscriberService extends TranscriberGrpc.TranscriberImplBase {

    private final KyutaiEngine engine;

    public KyutaiTranscriberService(KyutaiEngine engine) {
        this.engine = engine;
    }

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(StreamObserver<StreamingRecognizeResponse> responses) {
        KyutaiStreamingSession s = new KyutaiStreamingSession(engine, (ServerCallStreamObserver<StreamingRecognizeResponse>) responses);
        s.begin();
        return s;
    }

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
        responses.onError(Status.UNIMPLEMENTED.withDescription("whole-file Recognize is not served by the " + KyutaiEngine.ENGINE_NAME
                + " engine (moshi-server streams); stream the audio with StreamingRecognize").asRuntimeException());
    }
}
