package org.steno.conference.media.mux;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded queue drained one item at a time on a shared executor: all of an endpoint's packets are handled in
 * order and by one thread at a time (so its SRTP and ICE state need no further locking), without a thread per
 * endpoint. When full, the oldest item is dropped and counted: the reader thread never blocks.
 */
public final class SerialQueue<T> implements PacketSink<T> {

    private static final Logger LOG = LoggerFactory.getLogger(SerialQueue.class);

    private final ArrayDeque<T> items;
    private final int capacity;
    private final Executor executor;
    private final Consumer<T> handler;
    private final Counters counters;
    private final String dropCounter;
    private boolean scheduled;
    private boolean closed;

    public SerialQueue(int capacity, Executor executor, Consumer<T> handler, Counters counters, String dropCounter) {
        this.items = new ArrayDeque<>(Math.min(capacity, 64));
        this.capacity = capacity;
        this.executor = executor;
        this.handler = handler;
        this.counters = counters;
        this.dropCounter = dropCounter;
    }

    @Override
    public void offer(T item) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (items.size() >= capacity) {
                items.pollFirst();
                counters.inc(dropCounter);
            }
            items.addLast(item);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    scheduled = false;
                }
            }
        }
    }

    private void drain() {
        for (int n = 0; n < 64; n++) { // bounded batch: other endpoints get the worker too
            T item;
            synchronized (this) {
                item = items.pollFirst();
                if (item == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                handler.accept(item);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (Error) e;
                }
                counters.inc("worker.error");
                LOG.warn("media handler failed on one packet; continuing", e);
            }
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
            }
        }
    }

    public synchronized void close() {
        closed = true;
        items.clear();
    }

    public synchronized int size() {
        return items.size();
    }
}
