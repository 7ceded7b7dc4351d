package org.steno.models.kyutai;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How to reach a Kyutai STT server (moshi-server with a {@code BatchedAsr} module) and how to use it.
 *
 * @param url             base {@code ws://} or {@code wss://} URL of the server, e.g. {@code wss://gpu-1:8080};
 *                        the stream path {@value #STREAM_PATH} is appended unless the URL already ends with it
 * @param apiKey          one of the server's {@code authorized_ids}, sent in the {@code kyutai-api-key} header
 *                        (never in the URL, where proxies and access logs would keep it); never printed
 * @param model           model the server runs, for results' provenance (e.g. {@code kyutai/stt-1b-en_fr})
 * @param languages       languages the model speaks (BCP-47 primary tags); other languages are refused
 * @param connectTimeout  deadline of the WebSocket upgrade, and of the server's first message ({@code Ready})
 * @param flushTimeout    deadline for a flush marker to come back once the silence after it is sent
 * @param flushSilence    silence sent at once before a marker: the model's delay (0.48 s for stt-1b-en_fr,
 *                        2.56 s for stt-2.6b-en) and a frame or two; more follows until the marker is back
 * @param leadingSilence  silence sent first on every connection: Kyutai's clients do so because the 2.6B model
 *                        needs it; its time is taken out of every offset
 * @param pauseHead       index of the {@code Step.prs} pause head that ends an utterance (0.5 / 1 / 2 / 3 s);
 *                        Kyutai's own microphone client uses 2
 * @param pauseThreshold  probability over which that head ends the utterance
 */
public record KyutaiSettings(
        URI url,
        String apiKey,
        String model,
        List<String> languages,
        Duration connectTimeout,
        Duration flushTimeout,
        Duration flushSilence,
        Duration leadingSilence,
        int pauseHead,
        float pauseThreshold) {

    public static final String STREAM_PATH = "/api/asr-streaming";
    public static final String DEFAULT_MODEL = "kyutai/stt-1b-en_fr";
    public static final List<String> DEFAULT_LANGUAGES = List.of("en", "fr");

    public KyutaiSettings {
        Objects.requireNonNull(url, "url");
        // Checked first, and the URL never printed whole: a key put in it (?auth_id=…) must not reach a log.
        if (url.getRawQuery() != null || url.getRawUserInfo() != null || url.getRawFragment() != null) {
            // A token in the URL ends up in proxy and access logs; the key goes in a header instead.
            throw new IllegalArgumentException("Kyutai server URL '" + url.getScheme() + "://" + url.getHost()
                    + "…' must carry no query, user info or fragment: set the api key separately");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("Kyutai server URL (" + (scheme.isEmpty() ? "no scheme" : scheme + "://…")
                    + ") must start with ws:// or wss://");
        }
        if (url.getHost() == null) {
            throw new IllegalArgumentException("Kyutai server URL (" + scheme + "://…) has no host");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("an api key for the Kyutai server is required (one of its authorized_ids)");
        }
        Objects.requireNonNull(model, "model");
        languages = List.copyOf(languages);
        if (languages.isEmpty()) {
            throw new IllegalArgumentException("the Kyutai model must speak at least one language");
        }
        positive(connectTimeout, "connectTimeout");
        positive(flushTimeout, "flushTimeout");
        if (flushSilence == null || flushSilence.isNegative()) {
            throw new IllegalArgumentException("flushSilence must be zero or positive, got " + flushSilence);
        }
        if (leadingSilence == null || leadingSilence.isNegative()) {
            throw new IllegalArgumentException("leadingSilence must be zero or positive, got " + leadingSilence);
        }
        if (pauseHead < 0 || pauseHead > 3) {
            throw new IllegalArgumentException("pauseHead must be 0–3 (0.5, 1, 2, 3 s), got " + pauseHead);
        }
        if (!(pauseThreshold > 0 && pauseThreshold < 1)) {
            throw new IllegalArgumentException("pauseThreshold must be between 0 and 1, got " + pauseThreshold);
        }
    }

    /** The published 1B English/French model, with the timings Kyutai's own clients use. */
    public static KyutaiSettings of(URI url, String apiKey) {
        return new KyutaiSettings(url, apiKey, DEFAULT_MODEL, DEFAULT_LANGUAGES, Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofMillis(640), Duration.ofSeconds(1), 2, 0.5f);
    }

    public KyutaiSettings withTimeouts(Duration connect, Duration flush) {
        return new KyutaiSettings(url, apiKey, model, languages, connect, flush, flushSilence, leadingSilence, pauseHead, pauseThreshold);
    }

    /** Another model: its name, languages and delay (e.g. stt-2.6b-en: en only, 2.56 s); flush silence follows the delay. */
    public KyutaiSettings forModel(String name, List<String> langs, Duration delay) {
        return new KyutaiSettings(url, apiKey, name, langs, connectTimeout, flushTimeout, delay.plusMillis(160), leadingSilence,
                pauseHead, pauseThreshold);
    }

    public KyutaiSettings withLeadingSilence(Duration silence) {
        return new KyutaiSettings(url, apiKey, model, languages, connectTimeout, flushTimeout, flushSilence, silence, pauseHead, pauseThreshold);
    }

    /** The WebSocket endpoint of the streaming recognizer. */
    public URI streamUri() {
        String s = url.toString();
        if (s.endsWith(STREAM_PATH)) {
            return url;
        }
        return URI.create(s.replaceAll("/+$", "") + STREAM_PATH);
    }

    /** The same host over HTTP(S), for the build-info probe. */
    public URI buildInfoUri() {
        String http = url.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
        return URI.create(http + "://" + url.getRawAuthority() + "/api/build_info");
    }

    /** Where the server is, for messages: scheme, host and port, nothing secret. */
    public String where() {
        return streamUri().toString();
    }

    public boolean speaks(String languageTag) {
        String primary = languageTag.toLowerCase(Locale.ROOT).split("[-_]", 2)[0];
        return languages.contains(primary);
    }

    /** Never prints the api key. */
    @Override
    public String toString() {
        return "KyutaiSettings[url=" + url + ", model=" + model + ", languages=" + languages + ", apiKey=(hidden)]";
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
        }
    }
}
