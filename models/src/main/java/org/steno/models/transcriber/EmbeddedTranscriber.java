package org.steno.models.transcriber;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.steno.models.asr.DecoderPool;
import org.steno.models.asr.EngineStatus;
import org.steno.models.asr.PocketSphinx;
import org.steno.proto.speech.v1.EngineInfo;

/**
 * The in-process pocketsphinx engine: its status, its decoder pool and the threads that
 * decode. When the library or the model is missing it stays not-ready with the reason, and
 * the service answers UNAVAILABLE with that reason instead of failing later.
 */
public final class EmbeddedTranscriber implements AutoCloseable {

    public static final String ENGINE_NAME = "steno-embedded-asr";
    public static final String MODEL_NAME = "pocketsphinx-en-us";

    private final TranscriberSettings settings;
    private final EngineStatus status;
    private final DecoderPool pool;
    private final ExecutorService decodeThreads;

    public EmbeddedTranscriber(TranscriberSettings settings) {
        this.settings = settings;
        this.status = PocketSphinx.status(settings.model());
        this.pool = status.ready()
                ? DecoderPool.pocketsphinx(settings.model(), settings.maxDecoders(), settings.warmDecoders(), settings.maxWaiting())
                : null;
        AtomicInteger n = new AtomicInteger();
        // Bounded by construction: each stream has at most one request and one close task queued.
        this.decodeThreads = new ThreadPoolExecutor(settings.decodeThreads(), settings.decodeThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "asr-decode-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    public EngineStatus status() {
        return status;
    }

    /** The decoder pool, or null when the engine is not ready. */
    public DecoderPool pool() {
        return pool;
    }

    ExecutorService decodeThreads() {
        return decodeThreads;
    }

    public TranscriberSettings settings() {
        return settings;
    }

    public EngineInfo engineInfo() {
        return EngineInfo.newBuilder().setName(ENGINE_NAME).setVersion("pocketsphinx-5prealpha").setModel(MODEL_NAME).build();
    }

    @Override
    public void close() {
        decodeThreads.shutdown();
        try {
            decodeThreads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
