package org.steno.models.asr;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded set of pocketsphinx decoders (about 110 MB each, so the bound is a memory bound).
 * A stream gets a decoder nobody has decoded with (reusing one carries its cepstral-mean
 * estimate over and changes the output); after use the decoder is freed and a fresh one is
 * built in the background, so {@code ps_init} (0.4–0.5 s) stays off the audio path. A decoder
 * handed back without having seen audio is still fresh and goes straight back to the idle set.
 */
public final class DecoderPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DecoderPool.class);

    private final Supplier<SphinxDecoder> factory;
    private final int maxDecoders;
    private final int warmDecoders;
    private final ExecutorService builder;
    private final Deque<SphinxDecoder> idle = new ArrayDeque<>();
    private final Deque<CompletableFuture<SphinxDecoder>> waiters = new ArrayDeque<>();
    private final int maxWaiters;
    private int inUse;
    private int building;
    private long created;
    private long freed;
    private boolean closed;
    private String lastBuildFailure;

    /**
     * @param maxDecoders  at most this many decoders exist at once (idle + in use + being built)
     * @param warmDecoders how many idle decoders to keep ready ahead of demand (≤ maxDecoders)
     */
    public DecoderPool(Supplier<SphinxDecoder> factory, int maxDecoders, int warmDecoders) {
        this(factory, maxDecoders, warmDecoders, 256);
    }

    /** @param maxWaiters callers allowed to wait for a decoder at once; more are refused at once */
    public DecoderPool(Supplier<SphinxDecoder> factory, int maxDecoders, int warmDecoders, int maxWaiters) {
        if (maxDecoders < 1) {
            throw new IllegalArgumentException("maxDecoders must be ≥ 1, was " + maxDecoders);
        }
        this.factory = factory;
        this.maxDecoders = maxDecoders;
        this.warmDecoders = Math.max(0, Math.min(warmDecoders, maxDecoders));
        this.maxWaiters = maxWaiters;
        this.builder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "asr-decoder-init");
            t.setDaemon(true);
            return t;
        });
        synchronized (this) {
            topUp();
        }
    }

    public static DecoderPool pocketsphinx(AsrModelPaths paths, int maxDecoders, int warmDecoders, int maxWaiters) {
        return new DecoderPool(() -> PocketSphinx.newDecoder(paths), maxDecoders, warmDecoders, maxWaiters);
    }

    /**
     * A fresh decoder when one is free, in request order. The future may be cancelled or
     * timed out ({@code orTimeout}) by the caller; a decoder is never handed to such a waiter.
     * Fails at once with {@link PoolExhaustedException} when {@code maxWaiters} callers already
     * wait, and with {@link IllegalStateException} when decoders cannot be built.
     */
    public synchronized CompletableFuture<SphinxDecoder> acquireAsync() {
        CompletableFuture<SphinxDecoder> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("decoder pool is closed"));
            return f;
        }
        if (lastBuildFailure != null && building == 0 && idle.isEmpty()) {
            f.completeExceptionally(new IllegalStateException(lastBuildFailure));
            return f;
        }
        waiters.removeIf(CompletableFuture::isDone);
        if (waiters.size() >= maxWaiters) {
            f.completeExceptionally(new PoolExhaustedException("all " + maxDecoders + " decoders are busy and "
                    + maxWaiters + " streams already wait; retry with backoff"));
            return f;
        }
        waiters.addLast(f);
        dispatch();
        if (!f.isDone() && idle.size() + inUse + building < maxDecoders) {
            startBuild();
        }
        return f;
    }

    /** Waits up to {@code timeoutMs} for a fresh decoder; null when none became free in time. */
    public SphinxDecoder acquire(long timeoutMs) throws InterruptedException {
        CompletableFuture<SphinxDecoder> f = acquireAsync();
        try {
            return f.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (f.cancel(false)) {
                return null;
            }
            return f.join();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof PoolExhaustedException) {
                return null;
            }
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
        }
    }

    /** Hands idle decoders to waiters that still want one. Call with the lock held. */
    private void dispatch() {
        while (!idle.isEmpty() && !waiters.isEmpty()) {
            CompletableFuture<SphinxDecoder> w = waiters.pollFirst();
            SphinxDecoder d = idle.pollFirst();
            inUse++;
            if (!w.complete(d)) {
                inUse--;
                idle.addFirst(d);
            }
        }
        if (lastBuildFailure != null && building == 0 && idle.isEmpty()) {
            for (CompletableFuture<SphinxDecoder> w : waiters) {
                w.completeExceptionally(new IllegalStateException(lastBuildFailure));
            }
            waiters.clear();
        }
        topUp();
    }

    /** Streams currently waiting for a decoder. */
    public synchronized int waiting() {
        waiters.removeIf(CompletableFuture::isDone);
        return waiters.size();
    }

    /**
     * Gives a decoder back, once per acquisition: kept when it never decoded, otherwise freed
     * and replaced. It counts as in use until it is freed, so the counters never show a
     * decoder that is neither lent, idle nor freed.
     */
    public void release(SphinxDecoder d) {
        boolean keep;
        synchronized (this) {
            keep = !closed && d.reusable();
            if (keep) {
                inUse--;
                idle.addFirst(d);
                dispatch();
                return;
            }
        }
        d.close();
        synchronized (this) {
            inUse--;
            freed++;
            dispatch();
            if (!waiters.isEmpty() && idle.size() + inUse + building < maxDecoders) {
                startBuild();
            }
        }
    }

    /** Counters read together, under the pool's lock. */
    public record Stats(int idle, int inUse, int building, int waiting, long created, long freed) {
        /** Decoders that exist natively (idle + in use). */
        public int live() {
            return idle + inUse;
        }
    }

    public synchronized Stats stats() {
        waiters.removeIf(CompletableFuture::isDone);
        return new Stats(idle.size(), inUse, building, waiters.size(), created, freed);
    }

    /** Decoders lent out right now. */
    public synchronized int inUse() {
        return inUse;
    }

    /** Decoders that exist natively right now (idle + in use). */
    public synchronized int live() {
        return idle.size() + inUse;
    }

    public synchronized int idle() {
        return idle.size();
    }

    public synchronized long created() {
        return created;
    }

    public synchronized long freed() {
        return freed;
    }

    public int maxDecoders() {
        return maxDecoders;
    }

    private void topUp() {
        while (!closed && idle.size() + building < warmDecoders && idle.size() + inUse + building < maxDecoders) {
            startBuild();
        }
    }

    private void startBuild() {
        building++;
        builder.execute(() -> {
            SphinxDecoder d = null;
            String failure = null;
            try {
                d = factory.get();
            } catch (RuntimeException e) {
                failure = e.getMessage();
                log.warn("cannot build a decoder: {}", failure);
            }
            boolean discard;
            synchronized (this) {
                building--;
                discard = closed || d == null;
                if (!discard) {
                    created++;
                    lastBuildFailure = null;
                    idle.addLast(d);
                } else if (failure != null) {
                    lastBuildFailure = failure;
                }
                if (!closed) {
                    dispatch();
                    if (!waiters.isEmpty() && idle.size() + inUse + building < maxDecoders) {
                        startBuild();
                    }
                }
            }
            if (discard && d != null) {
                d.close();
            }
        });
    }

    @Override
    public void close() {
        Deque<SphinxDecoder> toFree;
        synchronized (this) {
            closed = true;
            toFree = new ArrayDeque<>(idle);
            idle.clear();
            for (CompletableFuture<SphinxDecoder> w : waiters) {
                w.completeExceptionally(new IllegalStateException("decoder pool is closed"));
            }
            waiters.clear();
        }
        builder.shutdown();
        try {
            builder.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SphinxDecoder d : toFree) {
            d.close();
        }
    }
}
