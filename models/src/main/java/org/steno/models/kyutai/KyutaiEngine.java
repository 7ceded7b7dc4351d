package org.steno.models.kyutai;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.steno.models.remote.RemoteReadiness;
import org.steno.proto.speech.v1.EngineInfo;

/**
 * What every Kyutai stream shares: the settings, one JDK HTTP client (its WebSockets), the threads
 * the streams' work runs on and one timer. Readiness asks the server's {@code /api/build_info}
 * (an HTTP GET that takes no batch slot), at most every {@value #PROBE_EVERY_MS} ms.
 */
public final class KyutaiEngine implements AutoCloseable {

    public static final String ENGINE_NAME = "kyutai-stt";
    static final long PROBE_EVERY_MS = 2_000;

    private final KyutaiSettings settings;
    private final HttpClient http;
    private final ExecutorService work;
    private final ScheduledExecutorService timer;
    private volatile RemoteReadiness lastProbe;
    private volatile long lastProbeAt;

    public KyutaiEngine(KyutaiSettings settings) {
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        // Bounded by construction: each stream has at most one request, one server message batch and one timer task queued.
        this.work = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> daemon(r, "kyutai-" + n.incrementAndGet()));
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "kyutai-timer"));
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout()).build();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public KyutaiSettings settings() {
        return settings;
    }

    HttpClient http() {
        return http;
    }

    ExecutorService work() {
        return work;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    public EngineInfo engineInfo() {
        return EngineInfo.newBuilder().setName(ENGINE_NAME).setVersion("moshi-server").setModel(settings.model()).build();
    }

    /** Whether the server answers; one sentence either way, naming the server but never the key. */
    public RemoteReadiness readiness() {
        long now = System.currentTimeMillis();
        RemoteReadiness r = lastProbe;
        if (r != null && now - lastProbeAt < PROBE_EVERY_MS) {
            return r;
        }
        r = probe();
        lastProbe = r;
        lastProbeAt = now;
        return r;
    }

    private RemoteReadiness probe() {
        HttpRequest req = HttpRequest.newBuilder(settings.buildInfoUri()).timeout(settings.connectTimeout()).GET().build();
        try {
            HttpResponse<Void> res = http.send(req, HttpResponse.BodyHandlers.discarding());
            if (res.statusCode() / 100 == 2) {
                return new RemoteReadiness(true, "Kyutai server " + settings.where() + " answers (model " + settings.model() + ")");
            }
            return new RemoteReadiness(false, "Kyutai server " + settings.where() + " answered HTTP " + res.statusCode()
                    + " to " + settings.buildInfoUri().getPath());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RemoteReadiness(false, "interrupted while asking Kyutai server " + settings.where());
        } catch (Exception e) {
            return new RemoteReadiness(false, "Kyutai server " + settings.where() + " is unreachable ("
                    + KyutaiErrors.reason(KyutaiErrors.unwrap(e)) + ")");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        work.shutdown();
        try {
            work.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        work.shutdownNow();
    }
}
