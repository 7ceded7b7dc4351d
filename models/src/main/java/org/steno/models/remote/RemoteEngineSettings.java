package org.steno.models.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a remote speech server that implements the {@code Transcriber} / {@code Diarizer}
 * contracts (a GPU box, a Kyutai moshi-server adapter, another Steno model server).
 *
 * @param target              {@code host:port} of the remote gRPC server
 * @param tls                 use TLS; plaintext otherwise
 * @param trustedCaPem        PEM file of the CA that signed the server certificate; {@code null}
 *                            trusts the JVM's default CAs (only meaningful with {@code tls})
 * @param callDeadline        deadline of each unary call (Recognize, Diarize); streams carry the
 *                            caller's deadline, if any, since they live as long as a meeting
 * @param maxReconnectBackoff longest wait between reconnect attempts while the remote is down
 * @param keepAliveTime       HTTP/2 ping interval on an open connection; gRPC servers refuse pings
 *                            more often than every 5 minutes unless configured, hence the default
 */
public record RemoteEngineSettings(
        String target,
        boolean tls,
        Path trustedCaPem,
        Duration callDeadline,
        Duration maxReconnectBackoff,
        Duration keepAliveTime) {

    public static final Duration DEFAULT_CALL_DEADLINE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_RECONNECT_BACKOFF = Duration.ofSeconds(10);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofMinutes(5);

    public RemoteEngineSettings {
        Objects.requireNonNull(target, "target");
        int colon = target.lastIndexOf(':');
        if (target.isBlank() || colon <= 0 || colon == target.length() - 1) {
            throw new IllegalArgumentException(
                    "remote speech server target '" + target + "' is not host:port (e.g. gpu-1:50051)");
        }
        if (trustedCaPem != null && !tls) {
            throw new IllegalArgumentException("a trusted CA file is given for " + target + " but TLS is off");
        }
        requirePositive(callDeadline, "callDeadline");
        requirePositive(maxReconnectBackoff, "maxReconnectBackoff");
        requirePositive(keepAliveTime, "keepAliveTime");
    }

    /** Plaintext to {@code target} with the default deadline, backoff and keepalive. */
    public static RemoteEngineSettings plaintext(String target) {
        return new RemoteEngineSettings(target, false, null,
                DEFAULT_CALL_DEADLINE, DEFAULT_MAX_RECONNECT_BACKOFF, DEFAULT_KEEP_ALIVE);
    }

    /** TLS, trusting {@code trustedCaPem} (or the JVM's CAs when {@code null}). */
    public RemoteEngineSettings withTls(Path trustedCaPem) {
        return new RemoteEngineSettings(target, true, trustedCaPem, callDeadline, maxReconnectBackoff, keepAliveTime);
    }

    public RemoteEngineSettings withCallDeadline(Duration deadline) {
        return new RemoteEngineSettings(target, tls, trustedCaPem, deadline, maxReconnectBackoff, keepAliveTime);
    }

    public RemoteEngineSettings withMaxReconnectBackoff(Duration backoff) {
        return new RemoteEngineSettings(target, tls, trustedCaPem, callDeadline, backoff, keepAliveTime);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
