package org.steno.simulator.signal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deployment reached as a browser reaches it: {@code POST /api/meetings/<id>/join} as a guest (no account, no
 * service token) for a join token, then the WebSocket {@code /ws/meetings/<id>} with the token in the first
 * message, never in the URL. One {@link HttpClient} (one selector thread) serves every participant. A 429 is
 * waited out as its Retry-After says (joins are rate-limited per address, and every simulated participant comes
 * from this one).
 */
public final class HttpDeployment implements Deployment {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** How long one participant keeps waiting out 429s before giving up. */
    private static final long RATE_LIMIT_PATIENCE_MILLIS = 120_000;

    private final URI base;
    private final HttpClient http;

    public HttpDeployment(URI base, ExecutorService executor) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        if (!("http".equals(this.base.getScheme()) || "https".equals(this.base.getScheme())) || this.base.getHost() == null) {
            throw new IllegalArgumentException("--server must be an http:// or https:// URL, e.g. http://localhost:8080");
        }
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).executor(executor).build();
    }

    @Override
    public String join(String meetingId, String displayName) throws SimulationException {
        String body = JSON.createObjectNode().put("displayName", displayName).toString();
        URI uri = base.resolve("/api/meetings/" + URLEncoder.encode(meetingId, StandardCharsets.UTF_8) + "/join");
        long giveUp = System.currentTimeMillis() + RATE_LIMIT_PATIENCE_MILLIS;
        while (true) {
            HttpResponse<String> r;
            try {
                r = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                throw new SimulationException("cannot connect to " + base + " (" + e.getMessage() + "); is the server running?");
            } catch (HttpTimeoutException e) {
                throw new SimulationException(base + " did not answer the join request within " + TIMEOUT.toSeconds() + " s");
            } catch (IOException e) {
                throw new SimulationException("the join request to " + base + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SimulationException("interrupted while joining");
            }
            if (r.statusCode() == 429 && System.currentTimeMillis() < giveUp) {
                long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
                sleep(Math.max(1, Math.min(wait, 30)) * 1000);
                continue;
            }
            if (r.statusCode() == 202) {
                throw new SimulationException("meeting " + meetingId + " keeps guests in its lobby (its access level is "
                        + "trusted or restricted, or it is locked); simulated participants join as guests by the link, "
                        + "so make the meeting public in its owner's settings");
            }
            if (r.statusCode() == 404) {
                throw new SimulationException("meeting " + meetingId + " does not exist at " + base + " (HTTP 404)");
            }
            if (r.statusCode() != 200 && r.statusCode() != 201) {
                throw new SimulationException("the server refused the join: HTTP " + r.statusCode() + " " + errorOf(r.body()));
            }
            JsonNode n = parse(r.body());
            if (n == null || !n.path("token").isString() || n.path("token").asString().isBlank()) {
                throw new SimulationException("the join answer from " + base + " has no token (is this a Steno server?)");
            }
            return n.path("token").asString();
        }
    }

    private static void sleep(long millis) throws SimulationException {
        try {
            Thread.sleep(millis); // waiting out the server's Retry-After, not a test's timing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while waiting out the join rate limit");
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n != null && n.isObject() ? n : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String errorOf(String body) {
        JsonNode n = parse(body);
        if (n != null && n.path("error").isString()) {
            return n.path("error").asString();
        }
        String s = body == null ? "" : body.strip();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    @Override
    public SignalingLink connect(String meetingId, SignalingEvents events) throws SimulationException {
        String scheme = base.getScheme().equals("https") ? "wss" : "ws";
        URI ws = URI.create(scheme + "://" + base.getRawAuthority() + "/ws/meetings/"
                + URLEncoder.encode(meetingId, StandardCharsets.UTF_8));
        try {
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(ws, new Listener(events))
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new Link(socket);
        } catch (ExecutionException e) {
            throw new SimulationException("cannot open the signaling WebSocket " + ws + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new SimulationException("the signaling WebSocket " + ws + " did not open within " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SimulationException("interrupted while opening the signaling WebSocket");
        }
    }

    /** Sends in order: java.net.http allows one outstanding send per WebSocket, so each waits for the one before. */
    private static final class Link implements SignalingLink {
        private final WebSocket socket;
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

        Link(WebSocket socket) {
            this.socket = socket;
        }

        @Override
        public synchronized void send(String json) {
            last = last.handle((x, e) -> null).thenCompose(x -> socket.sendText(json, true));
        }

        @Override
        public synchronized void close() {
            last = last.handle((x, e) -> null).thenCompose(x -> socket.sendClose(WebSocket.NORMAL_CLOSURE, "leaving"));
        }
    }

    /** Joins text fragments into whole messages. */
    private static final class Listener implements WebSocket.Listener {
        private final SignalingEvents events;
        private final StringBuilder partial = new StringBuilder();

        Listener(SignalingEvents events) {
            this.events = events;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String msg = partial.toString();
                partial.setLength(0);
                events.onMessage(msg);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            events.onClosed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            events.onClosed(-1, String.valueOf(error.getMessage()));
        }
    }
}
