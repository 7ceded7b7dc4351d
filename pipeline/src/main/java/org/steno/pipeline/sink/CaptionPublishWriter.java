package org.steno.pipeline.sink;

import org.steno.access.ServiceToken;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionIngestGrpc;
import org.steno.proto.captions.v1.PublishSummary;

/**
 * One {@code Publish} client stream per subtask, reopened after a failure. It waits (bounded)
 * for flow control, so a slow subtitle service back-pressures the job; if the service is
 * down, captions are dropped with a warning (they are live; the transcript is the durable
 * record and does not pass through here) and the stream is retried with backoff.
 */
final class CaptionPublishWriter implements SinkWriter<byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(CaptionPublishWriter.class);
    private static final long READY_WAIT_MS = 2000;

    private final String target;
    private final int subtask;
    private final ManagedChannel channel;
    private final Object readyLock = new Object();
    private volatile ClientCallStreamObserver<CaptionEvent> stream;
    private volatile Status failure;
    private long retryAtMs;
    private long backoffMs = 200;
    private long dropped;

    CaptionPublishWriter(String target, ServiceToken token, int subtask) {
        this.target = target;
        this.subtask = subtask;
        this.channel = ServiceToken.applyIfAny(token,
                NettyChannelBuilder.forTarget(target).usePlaintext().keepAliveTime(30, TimeUnit.SECONDS)).build();
    }

    @Override
    public void write(byte[] element, Context context) throws InterruptedException {
        CaptionEvent e;
        try {
            e = CaptionEvent.parseFrom(element);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            LOG.warn("dropping an unreadable caption: {}", ex.getMessage());
            return;
        }
        ClientCallStreamObserver<CaptionEvent> s = ensureStream();
        if (s == null || !awaitReady(s)) {
            if (dropped++ % 100 == 0) {
                LOG.warn("CaptionIngest at {} unavailable ({}); {} captions dropped so far", target, failure, dropped);
            }
            return;
        }
        s.onNext(e);
    }

    private ClientCallStreamObserver<CaptionEvent> ensureStream() {
        ClientCallStreamObserver<CaptionEvent> s = stream;
        if (s != null && failure == null) {
            return s;
        }
        long now = System.currentTimeMillis();
        if (failure != null && retryAtMs == 0) {
            retryAtMs = now + backoffMs;
            backoffMs = Math.min(5000, backoffMs * 2);
        }
        if (now < retryAtMs) {
            return null;
        }
        retryAtMs = 0;
        failure = null;
        CaptionIngestGrpc.newStub(channel).publish(new ClientResponseObserver<CaptionEvent, PublishSummary>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<CaptionEvent> r) {
                stream = r;
                r.setOnReadyHandler(() -> {
                    synchronized (readyLock) {
                        readyLock.notifyAll();
                    }
                });
            }

            @Override
            public void onNext(PublishSummary value) {
                LOG.debug("caption stream of subtask {} closed: {}", subtask, value);
            }

            @Override
            public void onError(Throwable t) {
                failure = Status.fromThrowable(t);
                synchronized (readyLock) {
                    readyLock.notifyAll();
                }
            }

            @Override
            public void onCompleted() {
                failure = Status.UNAVAILABLE.withDescription("stream completed");
            }
        });
        return stream;
    }

    private boolean awaitReady(ClientCallStreamObserver<CaptionEvent> s) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_WAIT_MS;
        synchronized (readyLock) {
            while (!s.isReady()) {
                long left = deadline - System.currentTimeMillis();
                if (failure != null || left <= 0) {
                    if (failure == null) {
                        failure = Status.DEADLINE_EXCEEDED.withDescription("not ready for " + READY_WAIT_MS + " ms");
                        s.cancel("caption stream stuck", null);
                    }
                    return false;
                }
                readyLock.wait(left);
            }
        }
        backoffMs = 200;
        return true;
    }

    @Override
    public void flush(boolean endOfInput) {
        // Each event is handed to gRPC as it comes; there is no batch to flush.
    }

    @Override
    public void close() throws Exception {
        ClientCallStreamObserver<CaptionEvent> s = stream;
        if (s != null && failure == null) {
            s.onCompleted();
        }
        channel.shutdown();
        if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
            channel.shutdownNow();
        }
    }
}
