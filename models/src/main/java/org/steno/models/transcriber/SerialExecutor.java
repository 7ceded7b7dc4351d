package org.steno.models.transcriber;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Runs one stream's tasks one after another on a shared pool, so a decoder is only ever
 * touched by one thread at a time while different streams decode in parallel. Each stream
 * has at most one request in flight (manual flow control), so its queue stays tiny.
 */
public final class SerialExecutor implements Executor {

    private final Executor pool;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        pool.execute(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException | Error e) {
                // A failed task must not wedge the stream's queue or kill the pool thread.
                org.slf4j.LoggerFactory.getLogger(SerialExecutor.class).error("stream task failed", e);
            }
        }
    }
}
