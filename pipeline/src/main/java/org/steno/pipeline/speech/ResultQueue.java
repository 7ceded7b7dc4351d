package org.steno.pipeline.speech;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Results of one model session, filled on gRPC threads and drained on the Flink task thread.
 * The first result after a drain announces the session once ({@code onFirst}), so the task
 * drains the sessions that have results instead of scanning every track.
 */
final class ResultQueue<T> {

    /** A session whose results sit in a {@link ResultQueue}. */
    interface Source<T> {
        void unflag();

        T poll();
    }

    /** Collects every result of the sessions that announced some (task thread). */
    static <T> void drainAll(Queue<? extends Source<T>> announced, java.util.function.Consumer<T> out) {
        Source<T> s;
        while ((s = announced.poll()) != null) {
            s.unflag();
            T item;
            while ((item = s.poll()) != null) {
                out.accept(item);
            }
        }
    }

    private final Queue<T> items = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flagged = new AtomicBoolean();
    private final Runnable onFirst;

    ResultQueue(Runnable onFirst) {
        this.onFirst = onFirst;
    }

    void add(T item) {
        items.add(item);
        if (flagged.compareAndSet(false, true)) {
            onFirst.run();
        }
    }

    /** Called before draining, so results that arrive meanwhile announce the session again. */
    void unflag() {
        flagged.set(false);
    }

    T poll() {
        return items.poll();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }
}
