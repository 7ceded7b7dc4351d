package org.steno.models.asr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecoderPoolTest {

    @Test
    void freshDecodersAreReusedUsedOnesFreedAndTheBoundHolds() throws Exception {
        try (DecoderPool pool = DecoderPool.pocketsphinx(AsrModelPaths.debianEnUs(), 2, 1, 1)) {
            SphinxDecoder a = pool.acquire(10_000);
            assertThat(a).isNotNull();
            pool.release(a);
            SphinxDecoder again = pool.acquire(10_000);
            assertThat(again).as("a decoder that never decoded is handed out again").isSameAs(a);

            again.startUtterance();
            again.process(new short[1600], 1600);
            again.endUtterance();
            SphinxDecoder b = pool.acquire(10_000);
            assertThat(b).isNotNull().isNotSameAs(a);
            assertThat(pool.inUse()).isEqualTo(2);

            // Bound reached: one waiter is allowed, the next is refused at once.
            CompletableFuture<SphinxDecoder> waiting = pool.acquireAsync();
            CompletableFuture<SphinxDecoder> refused = pool.acquireAsync();
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PoolExhaustedException.class);
            assertThat(waiting).isNotDone();

            pool.release(again);
            assertThat(again.isClosed()).as("a used decoder is freed, never reused").isTrue();
            SphinxDecoder c = waiting.get(10, TimeUnit.SECONDS);
            assertThat(c).isNotSameAs(again);
            pool.release(b);
            pool.release(c);
            assertThat(pool.inUse()).isZero();
            assertThat(pool.live()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aCancelledWaiterNeverReceivesADecoder() throws Exception {
        try (DecoderPool pool = DecoderPool.pocketsphinx(AsrModelPaths.debianEnUs(), 1, 0, 4)) {
            CompletableFuture<SphinxDecoder> f = pool.acquireAsync();
            f.cancel(false);
            SphinxDecoder d = pool.acquire(10_000);
            assertThat(d).isNotNull();
            assertThat(pool.inUse()).isEqualTo(1);
            pool.release(d);
            assertThat(pool.inUse()).isZero();
        }
    }

    @Test
    void closingFreesIdleDecodersAndRefusesNewCallers() throws Exception {
        DecoderPool pool = DecoderPool.pocketsphinx(AsrModelPaths.debianEnUs(), 1, 1, 4);
        SphinxDecoder d = pool.acquire(10_000);
        pool.release(d);
        pool.close();
        assertThat(d.isClosed()).isTrue();
        assertThatThrownBy(() -> pool.acquireAsync().get()).hasCauseInstanceOf(IllegalStateException.class);
    }
}
