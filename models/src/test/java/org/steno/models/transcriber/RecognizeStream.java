package org.steno.models.transcriber;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** A test client for one StreamingRecognize call: sends while the transport is ready, collects every response. */
public final class RecognizeStream implements ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse> {

    public final List<StreamingRecognizeResponse> responses = java.util.Collections.synchronizedList(new ArrayList<>());
    public final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile ClientCallStreamObserver<StreamingRecognizeRequest> requests;

    public static RecognizeStream open(TranscriberGrpc.TranscriberStub stub) {
        RecognizeStream s = new RecognizeStream();
        stub.withDeadlineAfter(120, TimeUnit.SECONDS).streamingRecognize(s);
        return s;
    }

    public static StreamingRecognitionConfig config(String streamId) {
        return StreamingRecognitionConfig.newBuilder()
                .setStreamId(streamId)
                .setInterimResults(true)
                .setVoiceActivityEvents(true)
                .setConfig(RecognitionConfig.newBuilder()
                        .setLanguageCode("en-US")
                        .setWordTimeOffsets(true)
                        .setWordConfidence(true)
                        .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                                .setSampleRateHz(16_000).setChannels(1)))
                .build();
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> r) {
        this.requests = r;
    }

    public void send(StreamingRecognitionConfig c) {
        requests.onNext(StreamingRecognizeRequest.newBuilder().setConfig(c).build());
    }

    /** Sends PCM in chunks of {@code chunkBytes}, waiting while the transport says not ready. */
    public void sendAudio(byte[] pcm, int chunkBytes) throws InterruptedException {
        for (int off = 0; off < pcm.length && !closed.isDone(); off += chunkBytes) {
            while (!requests.isReady() && !closed.isDone()) {
                Thread.sleep(1);
            }
            int n = Math.min(chunkBytes, pcm.length - off);
            requests.onNext(StreamingRecognizeRequest.newBuilder().setAudio(ByteString.copyFrom(pcm, off, n)).build());
        }
    }

    public void sendRaw(StreamingRecognizeRequest r) {
        requests.onNext(r);
    }

    public void flush(String id) {
        requests.onNext(StreamingRecognizeRequest.newBuilder().setFlush(Flush.newBuilder().setId(id)).build());
    }

    public void halfClose() {
        requests.onCompleted();
    }

    public void cancel() {
        requests.cancel("test cancels", null);
    }

    public Status await() throws Exception {
        return closed.get(120, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(StreamingRecognizeResponse value) {
        responses.add(value);
    }

    @Override
    public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        closed.complete(Status.OK);
    }

    public List<StreamingRecognizeResponse> snapshot() {
        synchronized (responses) {
            return new ArrayList<>(responses);
        }
    }
}
