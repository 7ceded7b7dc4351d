package org.steno.models.remote;

import org.steno.access.ServiceToken;
import io.grpc.ChannelCredentials;
import io.grpc.ConnectivityState;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gRPC channel to a remote speech server, shared by {@link RemoteTranscriberService} and
 * {@link RemoteDiarizerService}.
 *
 * <p>Reconnecting: the channel reconnects by itself, but its own backoff grows to two minutes, so a
 * GPU server that restarts could stay unused for that long. While the channel is in
 * TRANSIENT_FAILURE we cut its backoff short ({@code resetConnectBackoff}) on our own exponential
 * schedule (from 100 ms) capped at {@link RemoteEngineSettings#maxReconnectBackoff()}. Calls are never
 * wait-for-ready: while the remote is down they fail at once with UNAVAILABLE naming the target.
 */
public final class RemoteSpeechClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteSpeechClient.class);
    private static final long FIRST_BACKOFF_MS = 100;

    private final RemoteEngineSettings settings;
    private final ManagedChannel channel;
    private final ScheduledExecutorService backoffTimer;
    private final Object backoffLock = new Object();
    private long nextBackoffMs;
    private volatile String lastFailure;
    private volatile boolean closed;

    public RemoteSpeechClient(RemoteEngineSettings settings) throws IOException {
        this(settings, null);
    }

    /** @param token sent on every call when the remote is another Steno role; null for none */
    public RemoteSpeechClient(RemoteEngineSettings settings, ServiceToken token) throws IOException {
        this.settings = settings;
        this.nextBackoffMs = Math.min(FIRST_BACKOFF_MS, settings.maxReconnectBackoff().toMillis());
        this.channel = ServiceToken.applyIfAny(token, NettyChannelBuilder.forTarget(settings.target(), credentials(settings))
                .keepAliveTime(settings.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
                .keepAliveTimeout(20, TimeUnit.SECONDS)
                .userAgent("steno-remote-engine"))
                .build();
        this.backoffTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "remote-speech-backoff-" + settings.target());
            t.setDaemon(true);
            return t;
        });
        backoffTimer.execute(this::checkBackoff);
    }

    private static ChannelCredentials credentials(RemoteEngineSettings settings) throws IOException {
        if (!settings.tls()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        if (settings.trustedCaPem() != null) {
            try {
                tls.trustManager(settings.trustedCaPem().toFile());
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot read the trusted CA file " + settings.trustedCaPem()
                        + " for speech server " + settings.target() + ": " + e.getMessage(), e);
            }
        }
        return tls.build();
    }

    public RemoteEngineSettings settings() {
        return settings;
    }

    public String target() {
        return settings.target();
    }

    ManagedChannel channel() {
        return channel;
    }

    /**
     * Only READY counts as ready: asking also starts a connection when the channel is IDLE, so
     * a remote that is down shows as not ready at the first probe instead of after the first call.
     */
    public RemoteReadiness readiness() {
        ConnectivityState state = channel.getState(true);
        return switch (state) {
            case READY -> new RemoteReadiness(true, "speech server " + target() + " is connected");
            case IDLE, CONNECTING -> new RemoteReadiness(false, "connecting to speech server " + target());
            case TRANSIENT_FAILURE -> new RemoteReadiness(false,
                    unreachable(lastFailure == null ? "connection failed" : lastFailure));
            case SHUTDOWN -> new RemoteReadiness(false, "the client of speech server " + target() + " is closed");
        };
    }

    /** Forwards one unary call with the configured deadline; errors reach {@code out} mapped. */
    <S extends AbstractStub<S>, R> void forwardUnary(S stub, BiConsumer<S, StreamObserver<R>> call,
                                                     StreamObserver<R> out) {
        long deadlineMs = settings.callDeadline().toMillis();
        call.accept(stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), new StreamObserver<R>() {
            @Override
            public void onNext(R value) {
                out.onNext(value);
            }

            @Override
            public void onError(Throwable t) {
                out.onError(toCallerError(t));
            }

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        });
    }

    /**
     * Maps a failure of the remote call to the status our caller gets: same code, one sentence
     * naming the remote target. UNAVAILABLE with a transport cause means the server is unreachable;
     * UNAVAILABLE sent by the server itself means it runs but is not ready.
     */
    StatusRuntimeException toCallerError(Throwable t) {
        Status status = Status.fromThrowable(t);
        String description = status.getDescription();
        Status mapped = switch (status.getCode()) {
            case UNAVAILABLE -> {
                if (isTransportFailure(status)) {
                    String why = transportDetail(status);
                    lastFailure = why;
                    yield Status.UNAVAILABLE.withDescription(unreachable(why));
                }
                yield Status.UNAVAILABLE.withDescription(
                        "speech server " + target() + " is not ready: " + description);
            }
            case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED.withDescription(
                    "speech server " + target() + " did not answer in time (" + description + ")");
            case CANCELLED -> Status.CANCELLED.withDescription(
                    "call to speech server " + target() + " was cancelled"
                            + (description == null ? "" : ": " + description));
            default -> status.withCause(null).withDescription(
                    "speech server " + target() + " answered " + status.getCode()
                            + (description == null ? "" : ": " + description));
        };
        return mapped.asRuntimeException();
    }

    /** Phrases grpc-java's transport uses when the connection, not the server, failed. */
    private static final java.util.List<String> TRANSPORT_PHRASES = java.util.List.of(
            "io exception", "network closed", "connection closed", "keepalive failed", "goaway",
            "http/2", "connection refused", "first received frame");

    private boolean isTransportFailure(Status status) {
        if (status.getCause() != null || channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
            return true;
        }
        String description = status.getDescription() == null ? "" : status.getDescription().toLowerCase(Locale.ROOT);
        return description.isEmpty() || TRANSPORT_PHRASES.stream().anyMatch(description::contains);
    }

    private String unreachable(String why) {
        return "speech server " + target() + " is unreachable (" + why + "); retrying with backoff";
    }

    /** A short reason from the transport failure, e.g. "connection refused". */
    private String transportDetail(Status status) {
        Throwable root = status.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root != null && root.getMessage() != null ? root.getMessage() : status.getDescription();
        if (message == null) {
            return "connection failed";
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (lower.contains("connection refused")) {
            return "connection refused";
        }
        if (lower.contains("unresolved") || root instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (lower.contains("certification path") || lower.contains("pkix")) {
            return "its certificate is not trusted; set the trusted CA file";
        }
        if (!settings.tls() && (lower.contains("network closed") || lower.contains("connection reset"))) {
            // A TLS server drops a plaintext HTTP/2 preface without a word: a close, or a reset when
            // it closes before reading all we sent (which of the two depends on timing).
            return "connection closed by the server; does it require TLS?";
        }
        return message;
    }

    /**
     * Polls the channel state rather than waiting for state changes: pick-first stays in
     * TRANSIENT_FAILURE while it retries ("sticky" failure), so there is no change to wait for.
     * While failing, cut the channel's backoff short on our own doubling schedule; otherwise look
     * again within a second (or the cap, if smaller).
     */
    private void checkBackoff() {
        if (closed) {
            return;
        }
        long capMs = settings.maxReconnectBackoff().toMillis();
        long firstMs = Math.min(FIRST_BACKOFF_MS, capMs);
        long delayMs;
        synchronized (backoffLock) {
            ConnectivityState now = channel.getState(false);
            if (now == ConnectivityState.TRANSIENT_FAILURE) {
                channel.resetConnectBackoff();
                delayMs = nextBackoffMs;
                nextBackoffMs = Math.min(nextBackoffMs * 2, capMs);
                LOG.debug("speech server {} unreachable; next connect attempt in {} ms", target(), delayMs);
            } else {
                if (now == ConnectivityState.READY) {
                    nextBackoffMs = firstMs;
                    lastFailure = null;
                }
                delayMs = Math.min(1000, capMs);
            }
        }
        try {
            backoffTimer.schedule(this::checkBackoff, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
            // close() shut the timer down; nothing left to do.
        }
    }

    @Override
    public void close() {
        closed = true;
        backoffTimer.shutdownNow();
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
