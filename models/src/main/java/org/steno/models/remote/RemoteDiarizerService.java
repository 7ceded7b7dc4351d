package org.steno.models.remote;

import io.grpc.stub.StreamObserver;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * Serves the {@code Diarizer} contract by forwarding every call to a remote server that implements
 * the same contract (e.g. a pyannote sidecar on a GPU box). Messages pass through unchanged.
 */
public final class RemoteDiarizerService extends DiarizerGrpc.DiarizerImplBase {

    private final RemoteSpeechClient remote;
    private final DiarizerGrpc.DiarizerStub stub;

    public RemoteDiarizerService(RemoteSpeechClient remote) {
        this.remote = remote;
        this.stub = DiarizerGrpc.newStub(remote.channel());
    }

    @Override
    public void diarize(DiarizeRequest request, StreamObserver<DiarizeResponse> responses) {
        remote.forwardUnary(stub, (s, out) -> s.diarize(request, out), responses);
    }

    @Override
    public StreamObserver<StreamingDiarizeRequest> streamingDiarize(
            StreamObserver<StreamingDiarizeResponse> responses) {
        return StreamRelay.open(responses, remote, stub::streamingDiarize);
    }
}
