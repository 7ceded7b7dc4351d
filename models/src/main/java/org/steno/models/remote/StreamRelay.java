package org.steno.models.remote;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Function;

/**
 * Relays one bidirectional stream between our caller and the remote speech server.
 *
 * <p>Flow control: both sides use manual flow control with at most one message requested at a
 * time. A caller message is requested only when the remote stream can take one ({@code isReady}),
 * a remote message only when the caller is reading; so a slow side holds the other back through
 * HTTP/2 flow control and the relay never buffers more than one message per direction.
 *
 * <p>Cancellation: the caller cancelling cancels the remote call; the remote failing ends the
 * caller's stream with the mapped status. All relay state is guarded by {@code this} because the
 * caller's and the remote's callbacks arrive on different threads.
 */
final class StreamRelay<Req, Resp> implements StreamObserver<Req> {

    private final ServerCallStreamObserver<Resp> caller;
    private final RemoteSpeechClient remote;
    private ClientCallStreamObserver<Req> upstream;
    private boolean requestedFromCaller;
    private boolean requestedFromRemote;
    private boolean callerHalfClosed;
    /** The caller's stream is over (completed, failed or cancelled): nothing more is sent on it. */
    private boolean finished;

    private StreamRelay(ServerCallStreamObserver<Resp> caller, RemoteSpeechClient remote) {
        this.caller = caller;
        this.remote = remote;
    }

    /**
     * Must run inside the service method (gRPC allows flow-control and cancel handlers only there).
     *
     * @param startRemote opens the remote stream with the given response observer
     */
    static <Req, Resp> StreamObserver<Req> open(StreamObserver<Resp> callerResponses, RemoteSpeechClient remote,
                                                Function<StreamObserver<Resp>, StreamObserver<Req>> startRemote) {
        ServerCallStreamObserver<Resp> caller = (ServerCallStreamObserver<Resp>) callerResponses;
        StreamRelay<Req, Resp> relay = new StreamRelay<>(caller, remote);
        caller.disableAutoRequest();
        caller.setOnReadyHandler(relay::pullFromRemote);
        caller.setOnCancelHandler(relay::callerCancelled);
        startRemote.apply(relay.new RemoteSide());
        relay.pullFromRemote();
        relay.pullFromCaller();
        return relay;
    }

    private synchronized void pullFromCaller() {
        if (!finished && !callerHalfClosed && !requestedFromCaller && upstream.isReady()) {
            requestedFromCaller = true;
            caller.request(1);
        }
    }

    private synchronized void pullFromRemote() {
        if (!finished && !requestedFromRemote && caller.isReady()) {
            requestedFromRemote = true;
            upstream.request(1);
        }
    }

    private synchronized void callerCancelled() {
        if (!finished) {
            finished = true;
            upstream.cancel("the caller cancelled the stream", null);
        }
    }

    @Override
    public synchronized void onNext(Req message) {
        requestedFromCaller = false;
        if (finished) {
            return;
        }
        upstream.onNext(message);
        pullFromCaller();
    }

    @Override
    public void onError(Throwable t) {
        callerCancelled();
    }

    @Override
    public synchronized void onCompleted() {
        if (!finished && !callerHalfClosed) {
            callerHalfClosed = true;
            upstream.onCompleted();
        }
    }

    /** Receives the remote server's side of the stream. */
    private final class RemoteSide implements ClientResponseObserver<Req, Resp> {

        @Override
        public void beforeStart(ClientCallStreamObserver<Req> requestStream) {
            synchronized (StreamRelay.this) {
                upstream = requestStream;
            }
            requestStream.disableAutoRequestWithInitial(0);
            requestStream.setOnReadyHandler(StreamRelay.this::pullFromCaller);
        }

        @Override
        public void onNext(Resp message) {
            synchronized (StreamRelay.this) {
                requestedFromRemote = false;
                if (finished) {
                    return;
                }
                caller.onNext(message);
                pullFromRemote();
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (StreamRelay.this) {
                if (finished) {
                    return;
                }
                finished = true;
                caller.onError(remote.toCallerError(t));
            }
        }

        @Override
        public void onCompleted() {
            synchronized (StreamRelay.this) {
                if (finished) {
                    return;
                }
                finished = true;
                caller.onCompleted();
            }
        }
    }
}
