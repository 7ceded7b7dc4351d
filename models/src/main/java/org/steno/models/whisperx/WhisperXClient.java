package org.steno.models.whisperx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.steno.retry.ExponentialBackoff;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transcribes one audio file with WhisperX as La Suite Meet's transcription service exposes it:
 * {@code POST <url>/v1/audio/transcriptions}, multipart {@code file}, {@code model},
 * {@code language}, {@code response_format=diarized_json}, {@code timestamp_granularities[]} word
 * and segment, {@code Authorization: Bearer <key>}; the answer's {@code segments[{start, end,
 * text, speaker, words[{word, start, end, score}]}]}. A 400 means WhisperX could not read the file
 * (Meet's worker treats it so too): not retried. 401/403: our key is wrong: not retried. Anything
 * else (no connection, a 5xx, the deadline) is retried with an exponential backoff.
 */
public final class WhisperXClient {

    private static final Logger LOG = LoggerFactory.getLogger(WhisperXClient.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A WhisperX answer is text for at most a few hours of audio; more is not an answer. */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;

    private final WhisperXSettings settings;
    private final HttpClient http;
    private final ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private final SecureRandom random = new SecureRandom();

    public WhisperXClient(WhisperXSettings settings) {
        this(settings, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
    }

    public WhisperXClient(WhisperXSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
    }

    public WhisperXSettings settings() {
        return settings;
    }

    /**
     * @param language BCP-47 (its primary tag is sent, e.g. {@code fr} for {@code fr-FR}); empty lets WhisperX detect it
     * @throws WhisperXException when the file was not transcribed; {@link WhisperXException#kind()} says why
     */
    public DiarizedTranscription transcribe(byte[] file, String fileName, String contentType, String language)
            throws WhisperXException, InterruptedException {
        WhisperXException last = null;
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            if (attempt > 1) {
                Duration wait = backoff.delay(attempt - 1);
                LOG.info("WhisperX at {}: {}; trying again in {} ms (attempt {} of {})", settings.endpoint(), last.getMessage(),
                        wait.toMillis(), attempt, settings.attempts());
                Thread.sleep(wait.toMillis());
            }
            try {
                return once(file, fileName, contentType, language);
            } catch (WhisperXException e) {
                if (e.kind() != WhisperXException.Kind.UNAVAILABLE) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private DiarizedTranscription once(byte[] file, String fileName, String contentType, String language)
            throws WhisperXException, InterruptedException {
        String boundary = "steno-" + HexFormat.of().formatHex(random.generateSeed(12));
        Multipart body = new Multipart(boundary)
                .field("model", settings.model())
                .field("response_format", "diarized_json")
                .field("timestamp_granularities[]", "word")
                .field("timestamp_granularities[]", "segment");
        String lang = language == null ? "" : language.split("-")[0].toLowerCase(Locale.ROOT);
        if (!lang.isEmpty()) {
            body.field("language", lang);
        }
        body.file("file", fileName, contentType, file);
        HttpRequest.Builder rq = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.timeout())
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.finish()));
        if (!settings.apiKey().isEmpty()) {
            rq.header("Authorization", "Bearer " + settings.apiKey());
        }
        HttpResponse<byte[]> rs;
        try {
            rs = http.send(rq.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "no answer within " + settings.timeout().toSeconds() + " s", e);
        } catch (IOException e) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        int status = rs.statusCode();
        if (status == 400 || status == 415 || status == 422) {
            throw new WhisperXException(WhisperXException.Kind.BAD_FILE, "WhisperX could not read " + fileName + " (HTTP " + status
                    + detail(rs.body()) + ")", null);
        }
        if (status == 401 || status == 403) {
            throw new WhisperXException(WhisperXException.Kind.REFUSED, "WhisperX at " + settings.endpoint() + " refused our key (HTTP "
                    + status + "); check models.batch.whisperx.api-key", null);
        }
        if (status != 200) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "HTTP " + status + detail(rs.body()), null);
        }
        if (rs.body().length > MAX_ANSWER_BYTES) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "an answer of " + rs.body().length + " bytes is not a transcript", null);
        }
        return parse(rs.body());
    }

    /** The answer's segments; a body that is not one is the service's fault (retried). */
    static DiarizedTranscription parse(byte[] body) throws WhisperXException {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "the answer is not JSON", e);
        }
        if (root == null || !root.path("segments").isArray()) {
            throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "the answer has no segments list", null);
        }
        List<DiarizedTranscription.Segment> segments = new ArrayList<>();
        for (JsonNode s : root.path("segments")) {
            if (!s.path("start").isNumber() || !s.path("end").isNumber()) {
                throw new WhisperXException(WhisperXException.Kind.UNAVAILABLE, "a segment without start and end times", null);
            }
            List<DiarizedTranscription.Word> words = new ArrayList<>();
            for (JsonNode w : s.path("words")) {
                words.add(new DiarizedTranscription.Word(w.path("word").asString("").strip(), number(w.path("start")),
                        number(w.path("end")), number(w.path("score"))));
            }
            segments.add(new DiarizedTranscription.Segment(s.path("start").asDouble(), s.path("end").asDouble(),
                    s.path("text").asString("").strip(), s.path("speaker").asString(""), words));
        }
        return new DiarizedTranscription(root.path("language").asString(""), segments);
    }

    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /** A short, printable excerpt of an error body: never the whole of it in a log line. */
    private static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("[\\p{Cntrl}]", " ").strip();
        return s.isEmpty() ? "" : ": " + s;
    }

    /** A multipart/form-data body (RFC 7578). */
    private static final class Multipart {
        private final String boundary;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Multipart(String boundary) {
            this.boundary = boundary;
        }

        Multipart field(String name, String value) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
            return this;
        }

        Multipart file(String name, String fileName, String contentType, byte[] bytes) {
            write("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName.replaceAll("[\"\\\\\r\n]", "_") + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
            out.writeBytes(bytes);
            write("\r\n");
            return this;
        }

        byte[] finish() {
            write("--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private void write(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
