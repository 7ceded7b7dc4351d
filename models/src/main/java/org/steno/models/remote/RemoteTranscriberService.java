package org.steno.models.remote;

import io.grpc.stub.StreamObserver;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * Serves the {@code Transcriber} contract by forwarding every call to a remote server that
 * implements the same contract (e.g. a GPU box). Messages pass through unchanged; only errors are
 * rewritten to name the remote target (see {@link RemoteSpeechClient}).
 */
public final class RemoteTranscriberService extends TranscriberGrpc.TranscriberImplBase {

    private final RemoteSpeechClient remote;
    private final TranscriberGrpc.TranscriberStub stub;

    public RemoteTranscriberService(RemoteSpeechClient remote) {
        this.remote = remote;
        this.stub = TranscriberGrpc.newStub(remote.channel());
    }

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> responses) {
        remote.forwardUnary(stub, (s, out) -> s.recognize(request, out), responses);
    }

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(
            StreamObserver<StreamingRecognizeResponse> responses) {
        return StreamRelay.open(responses, remote, stub::streamingRecognize);
    }
}
