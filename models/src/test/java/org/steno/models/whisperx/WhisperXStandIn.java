package org.steno.models.whisperx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for La Suite Meet's WhisperX service (suitenumerique/meet-whisperx) on loopback:
 * {@code POST /v1/audio/transcriptions}, multipart form, {@code Authorization: Bearer <key>} (401
 * otherwise), {@code response_format} {@code diarized_json} (400 for others it does not serve
 * here), a file that is not Ogg (or WAV) is unreadable (400, as FFmpeg's failure is there). It
 * cannot hear: the answer for a file is the one a test registered for its SHA-256 (an empty list
 * of segments for a file nobody registered). {@code failNext(n)} makes the next n requests 503.
 */
public final class WhisperXStandIn implements AutoCloseable {

    /** A request as the server read it. */
    public record Call(Map<String, List<String>> fields, String fileName, String fileType, int fileBytes, String authorization) {
    }

    private final HttpServer server;
    private final String key;
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile long delayMs;
    private volatile String otherAnswer = "{\"segments\":[],\"word_segments\":[]}";

    public WhisperXStandIn(String key) throws IOException {
        this.key = key;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The JSON answered for a file with these bytes. */
    public void answer(byte[] file, String diarizedJson) {
        answers.put(sha256(file), diarizedJson);
    }

    /** The JSON answered for a file nobody registered (else no segments). */
    public void answerOthers(String diarizedJson) {
        otherAnswer = diarizedJson;
    }

    public void failNext(int n) {
        failNext.set(n);
    }

    public void delay(long ms) {
        delayMs = ms;
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/v1/audio/transcriptions")) {
                reply(ex, 404, "{\"detail\":\"Not Found\"}");
                return;
            }
            if (!ex.getRequestMethod().equals("POST")) {
                reply(ex, 405, "{\"detail\":\"Method Not Allowed\"}");
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            byte[] body = ex.getRequestBody().readAllBytes();
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("multipart/form-data; boundary=")) {
                reply(ex, 422, "{\"detail\":\"multipart form expected\"}");
                return;
            }
            Map<String, List<String>> fields = new LinkedHashMap<>();
            byte[][] file = new byte[1][];
            String[] fileMeta = new String[2];
            parse(body, type.substring(type.indexOf('=') + 1), fields, file, fileMeta);
            calls.add(new Call(fields, fileMeta[0], fileMeta[1], file[0] == null ? -1 : file[0].length, auth));
            if (!("Bearer " + key).equals(auth)) {
                reply(ex, 401, "{\"detail\":\"Invalid API key\"}");
                return;
            }
            if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, 503, "{\"detail\":\"GPU busy\"}");
                return;
            }
            if (delayMs > 0) {
                Thread.sleep(delayMs);
            }
            if (file[0] == null) {
                reply(ex, 422, "{\"detail\":[{\"loc\":[\"body\",\"file\"],\"msg\":\"field required\"}]}");
                return;
            }
            if (!List.of("diarized_json").equals(fields.getOrDefault("response_format", List.of()))) {
                reply(ex, 400, "{\"detail\":\"response_format not served by this stand-in\"}");
                return;
            }
            String magic = new String(file[0], 0, Math.min(4, file[0].length), StandardCharsets.ISO_8859_1);
            if (!magic.equals("OggS") && !magic.equals("RIFF")) {
                reply(ex, 400, "{\"detail\":\"Failed to load audio: ffmpeg could not decode the file\"}");
                return;
            }
            reply(ex, 200, answers.getOrDefault(sha256(file[0]), otherAnswer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void parse(byte[] body, String boundary, Map<String, List<String>> fields, byte[][] file, String[] fileMeta) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String delim = "--" + boundary;
        for (String part : text.split(java.util.regex.Pattern.quote(delim))) {
            if (part.startsWith("--") || part.isBlank()) {
                continue;
            }
            int headEnd = part.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                continue;
            }
            String head = part.substring(0, headEnd);
            String value = part.substring(headEnd + 4, part.length() - 2); // the part ends with CRLF
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("name=\"([^\"]*)\"").matcher(head);
            if (!name.find()) {
                continue;
            }
            java.util.regex.Matcher fn = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(head);
            if (fn.find()) {
                file[0] = value.getBytes(StandardCharsets.ISO_8859_1);
                fileMeta[0] = fn.group(1);
                java.util.regex.Matcher ct = java.util.regex.Pattern.compile("Content-Type: (\\S+)").matcher(head);
                fileMeta[1] = ct.find() ? ct.group(1) : "";
            } else {
                fields.computeIfAbsent(name.group(1), k -> new ArrayList<>())
                        .add(new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
