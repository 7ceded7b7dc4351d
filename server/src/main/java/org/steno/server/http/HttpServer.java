package org.steno.server.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson3;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.access.Action;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.net.Ports;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP side of a Steno process: the web app, health, readiness and metrics. Every
 * request passes {@link HttpGuard} first. Errors reach users as JSON sentences, never as
 * stack traces.
 */
public final class HttpServer implements Component {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** The largest request body any route accepts (the meetings API's own limit is 16 KiB). */
    public static final long MAX_REQUEST_BYTES = 64 * 1024;

    private final StenoConfig config;
    private final Supplier<Map<String, Readiness>> observed;
    private final HttpGuard guard;
    private final PrometheusMeterRegistry metrics;
    private final List<HttpRoutes> contributed;
    private volatile Supplier<Map<String, Long>> stageCounters = Map::of;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile Javalin app;

    /**
     * @param observed readiness of the components {@code /readyz} reports, read at request
     *                 time, so it includes components started after this one
     */
    public HttpServer(StenoConfig config, Supplier<Map<String, Readiness>> observed, HttpGuard guard,
                      PrometheusMeterRegistry metrics, List<HttpRoutes> contributed) {
        this.config = config;
        this.contributed = List.copyOf(contributed);
        this.observed = observed;
        this.guard = guard;
        this.metrics = metrics;
    }

    /** Every route this server declares, as the guard judges them. */
    static final int MAX_HEADER_BYTES = 16 * 1024;

    public RouteTable routes() {
        return guard.table();
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8, 60_000);
        threads.setName("http");
        Javalin a = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = config.httpHost();
            cfg.jetty.port = config.httpPort();
            cfg.jetty.threadPool = threads;
            cfg.jsonMapper(new JavalinJackson3(json, false));
            // No route takes more than a small JSON body; a larger one is refused (413) before it is read.
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            // Request line and headers up to 16 KiB (Jetty's default is 8): a search typed or pasted
            // far past its 500-character limit still reaches its route and gets a 400 saying so,
            // rather than Jetty's bare 414. Longer requests still get 414/431 from Jetty.
            cfg.jetty.modifyHttpConfiguration(http -> http.setRequestHeaderSize(MAX_HEADER_BYTES));
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
            });

            SecurityHeaders headers = new SecurityHeaders(config.publicUrl().startsWith("https://"));
            cfg.routes.before(headers::apply);
            cfg.routes.before(guard::check);
            cfg.routes.after(ctx -> Counter.builder("steno_http_requests")
                    .tag("method", ctx.method().name())
                    .tag("status", Integer.toString(ctx.statusCode()))
                    .register(metrics)
                    .increment());

            GuardedRoutes routes = new GuardedRoutes(cfg.routes, guard.table(), guard);
            routes.get("/healthz", Action.OBSERVE, Route.On.SYSTEM, ctx -> ctx.json(Map.of("status", "alive")));
            routes.get("/readyz", Action.OBSERVE, Route.On.SYSTEM, ctx -> {
                ReadyzBody body = readyz();
                ctx.status(body.status().equals("ready") ? 200 : 503).json(body);
            });
            routes.get("/metrics", Action.OBSERVE, Route.On.SYSTEM, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape() + stageCounters()));
            // The web app's own files (index.html, scripts, styles), served by the static handler.
            routes.staticFiles("/");
            routes.staticFiles("/{file}");

            contributed.forEach(r -> r.register(routes));

            cfg.routes.exception(HttpResponseException.class, (e, ctx) ->
                    ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).json(Map.of("error", "internal error; the server log has the details"));
            });
            cfg.routes.error(404, "application/json", ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    ctx.json(Map.of("error", "no such page: " + ctx.path()));
                }
            });
        });
        try {
            a.start();
        } catch (RuntimeException e) {
            a.stop();
            if (Ports.isBindFailure(e)) {
                throw StartupException.portInUse(Setting.HTTP_PORT, config.httpHost(), config.httpPort(), e);
            }
            throw e;
        }
        app = a;
    }

    /**
     * Packet-path counters of a role (the SFU's per-stage packets in, out and dropped, by
     * reason), served on {@code /metrics} as {@code steno_media_packets_total{stage="…"}}: the
     * first place to look when media misbehaves.
     */
    public void serveStageCounters(Supplier<Map<String, Long>> counters) {
        this.stageCounters = counters;
    }

    private String stageCounters() {
        Map<String, Long> c;
        try {
            c = stageCounters.get();
        } catch (RuntimeException e) {
            return "";
        }
        if (c.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("# HELP steno_media_packets_total Packets per stage of the media path (in, out, drops by reason)\n")
                .append("# TYPE steno_media_packets_total counter\n");
        new java.util.TreeMap<>(c).forEach((stage, n) -> sb.append("steno_media_packets_total{stage=\"")
                .append(stage.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"} ").append(n).append('\n'));
        return sb.toString();
    }

    ReadyzBody readyz() {
        List<ReadyzBody.Item> items = new ArrayList<>();
        boolean all = true;
        for (Map.Entry<String, Readiness> e : observed.get().entrySet()) {
            items.add(new ReadyzBody.Item(e.getKey(), e.getValue().ready(), e.getValue().detail()));
            all &= e.getValue().ready();
        }
        return new ReadyzBody(all ? "ready" : "not-ready", items);
    }

    /** The bound port (differs from the configured one when that is 0). */
    public int port() {
        Javalin a = app;
        if (a == null) {
            throw new IllegalStateException("http server is not started");
        }
        return a.port();
    }

    @Override
    public void stop() {
        Javalin a = app;
        app = null;
        if (a != null) {
            a.stop();
        }
    }

    @Override
    public Readiness readiness() {
        Javalin a = app;
        return a == null ? Readiness.notReady("not started") : Readiness.ready("listening on port " + a.port());
    }

    /** Shape of {@code /readyz}: {@code {"status":"ready","components":[{"name","ready","detail"}]}}. */
    public record ReadyzBody(String status, List<Item> components) {
        public record Item(String name, boolean ready, String detail) {
        }
    }
}
