package org.steno.pipeline.speech;

import io.grpc.stub.ClientCallStreamObserver;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Waits for gRPC flow control on a client stream, so a slow model back-pressures the task
 * thread instead of growing gRPC's buffer. The call's on-ready handler and its end wake the
 * waiter through {@link #signal()}.
 */
final class CallReadiness {

    private final Object lock = new Object();

    void signal() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * Returns once {@code call} is ready.
     *
     * @param failure null while the call is alive, else why it is not (then this throws)
     * @param what    the stream and the service, for the message when the wait times out
     */
    void await(ClientCallStreamObserver<?> call, Supplier<String> failure, long timeoutMs, String what)
            throws SessionStuckException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lock) {
            while (!call.isReady()) {
                String failed = failure.get();
                if (failed != null) {
                    throw new SessionStuckException(what + " failed: " + failed);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SessionStuckException(what + " accepted no audio for " + timeoutMs + " ms");
                }
                try {
                    lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new SessionStuckException("interrupted while waiting to send on " + what);
                }
            }
        }
    }
}
