package org.steno.models.whisperx;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the WhisperX service is (La Suite Meet's transcription API, suitenumerique/meet-whisperx)
 * and how to call it.
 *
 * @param url      {@code http(s)://host:port} base; {@code /v1/audio/transcriptions} is appended
 * @param apiKey   sent as {@code Authorization: Bearer …}; never in a URL, never printed
 * @param model    the {@code model} form field (the service may ignore it)
 * @param timeout  deadline of one request (a file is transcribed in one request: allow for its length)
 * @param attempts tries per file when the service is unreachable or answers 5xx (1 = no retry)
 */
public record WhisperXSettings(URI url, String apiKey, String model, Duration timeout, int attempts) {

    public static final String PATH = "/v1/audio/transcriptions";

    public WhisperXSettings {
        Objects.requireNonNull(url, "url");
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the WhisperX URL must be http:// or https://, got " + url.getScheme());
        }
        if (url.getHost() == null || url.getRawQuery() != null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("the WhisperX URL is a base like https://gpu-1:8000, with no query, user or fragment");
        }
        apiKey = apiKey == null ? "" : apiKey;
        model = model == null || model.isBlank() ? "large-v2" : model;
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero() || attempts < 1) {
            throw new IllegalArgumentException("timeout and attempts must be positive");
        }
    }

    public static WhisperXSettings of(URI url, String apiKey) {
        return new WhisperXSettings(url, apiKey, "large-v2", Duration.ofMinutes(30), 3);
    }

    public WhisperXSettings withTimeout(Duration t) {
        return new WhisperXSettings(url, apiKey, model, t, attempts);
    }

    /** The endpoint, for messages: no key in it. */
    public URI endpoint() {
        String base = url.toString().replaceAll("/+$", "");
        return URI.create(base + PATH);
    }

    @Override
    public String toString() {
        return "WhisperXSettings[url=" + url + ", apiKey=" + (apiKey.isEmpty() ? "none" : "(set)") + ", model=" + model
                + ", timeout=" + timeout + ", attempts=" + attempts + "]";
    }
}
