package org.steno.server.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Reads configuration in three layers, later ones winning: built-in defaults, then a config
 * file ({@code --config}, Java properties syntax), then {@code STENO_*} environment variables.
 * Anything unknown or malformed is refused with a {@link ConfigException} naming the setting,
 * so a typo never silently falls back to a default.
 */
public final class ConfigLoader {

    /** Environment variables of ours that are not settings (the launcher script reads them). */
    private static final java.util.Set<String> LAUNCHER_ENV = java.util.Set.of("STENO_JAVA_OPTS", "STENO_SKIP_BUILD");

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private ConfigLoader() {
    }

    /**
     * Settings of a throwaway process (benchmarks, tests): every port 0 (the OS picks),
     * loopback only, the given data dir.
     */
    public static Map<String, String> ephemeralEnv(Path dataDir) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("STENO_DATA_DIR", dataDir.toString());
        env.put("STENO_HTTP_HOST", "127.0.0.1");
        env.put("STENO_HTTP_PORT", "0");
        env.put("STENO_GRPC_PORT", "0");
        env.put("STENO_MEDIA_PORT", "0");
        env.put("STENO_S3_PORT", "0");
        return env;
    }

    public static StenoConfig load(Path configFile, Map<String, String> env) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            values.put(s, s.defaultValue());
        }
        if (configFile != null) {
            readFile(configFile, values);
        }
        readEnv(env, values);
        return validate(values);
    }

    private static void readFile(Path file, Map<Setting, String> values) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        for (String key : props.stringPropertyNames()) {
            Setting s = Setting.byKey(key);
            if (s == null) {
                throw new ConfigException("config file " + file + ": unknown setting '" + key
                        + "' (known settings are listed by 'steno config')");
            }
            values.put(s, props.getProperty(key).trim());
        }
    }

    private static void readEnv(Map<String, String> env, Map<Setting, String> values) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("STENO_") || LAUNCHER_ENV.contains(name)) {
                continue;
            }
            Setting s = Setting.byEnvName(name);
            if (s == null) {
                throw new ConfigException("environment variable " + name
                        + " is not a Steno setting (known settings are listed by 'steno config')");
            }
            values.put(s, e.getValue().trim());
        }
    }

    private static StenoConfig validate(Map<Setting, String> v) {
        Path dataDir = writableDirectory(v.get(Setting.DATA_DIR));
        String s3Endpoint = v.get(Setting.S3_ENDPOINT);
        String accessKey = v.get(Setting.S3_ACCESS_KEY);
        String secretKey = v.get(Setting.S3_SECRET_KEY);
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw ConfigException.of(accessKey.isEmpty() ? Setting.S3_ACCESS_KEY : Setting.S3_SECRET_KEY,
                    "must be set together with " + (accessKey.isEmpty() ? Setting.S3_SECRET_KEY : Setting.S3_ACCESS_KEY).label());
        }
        if (!s3Endpoint.isEmpty() && accessKey.isEmpty()) {
            throw ConfigException.of(Setting.S3_ACCESS_KEY, "is required when s3.endpoint points at an external store");
        }
        String bucket = v.get(Setting.S3_BUCKET);
        if (!BUCKET.matcher(bucket).matches()) {
            throw ConfigException.of(Setting.S3_BUCKET, "'" + bucket + "' is not a valid bucket name (3–63 lower-case letters, digits, dots, hyphens)");
        }
        return new StenoConfig(
                dataDir,
                nonEmpty(Setting.HTTP_HOST, v.get(Setting.HTTP_HOST)),
                port(Setting.HTTP_PORT, v.get(Setting.HTTP_PORT)),
                httpUrlOrEmpty(Setting.PUBLIC_URL, v.get(Setting.PUBLIC_URL)),
                port(Setting.GRPC_PORT, v.get(Setting.GRPC_PORT)),
                port(Setting.MEDIA_PORT, v.get(Setting.MEDIA_PORT)),
                v.get(Setting.MEDIA_ADVERTISED_ADDRESS),
                s3Endpoint.isEmpty() ? null : URI.create(httpUrlOrEmpty(Setting.S3_ENDPOINT, s3Endpoint)),
                port(Setting.S3_PORT, v.get(Setting.S3_PORT)),
                bucket,
                nonEmpty(Setting.S3_REGION, v.get(Setting.S3_REGION)),
                accessKey,
                secretKey,
                logFormat(v.get(Setting.LOG_FORMAT)),
                modelsEngine(v.get(Setting.MODELS_ENGINE)),
                remoteAddress(v),
                bool(Setting.MODELS_REMOTE_TLS, v.get(Setting.MODELS_REMOTE_TLS)),
                remoteCa(v),
                nonEmpty(Setting.GRPC_HOST, v.get(Setting.GRPC_HOST)),
                bool(Setting.GRPC_REFLECTION, v.get(Setting.GRPC_REFLECTION)),
                nonEmpty(Setting.S3_HOST, v.get(Setting.S3_HOST)),
                token(Setting.SERVICE_TOKEN, v.get(Setting.SERVICE_TOKEN)),
                token(Setting.MODELS_REMOTE_TOKEN, v.get(Setting.MODELS_REMOTE_TOKEN)),
                identity(v),
                duration(Setting.ARCHIVE_RETENTION_RECORDINGS, v.get(Setting.ARCHIVE_RETENTION_RECORDINGS)),
                duration(Setting.ARCHIVE_RETENTION_TRANSCRIPTS, v.get(Setting.ARCHIVE_RETENTION_TRANSCRIPTS)),
                new MeetingSettings(duration(Setting.MEETINGS_LOBBY_TIMEOUT, v.get(Setting.MEETINGS_LOBBY_TIMEOUT)),
                        duration(Setting.MEETINGS_END_AFTER_EMPTY, v.get(Setting.MEETINGS_END_AFTER_EMPTY))),
                kyutaiUrl(v),
                v.get(Setting.MODELS_KYUTAI_API_KEY),
                diarizerAddress(v),
                batchWhisperX(v));
    }

    /** Null with models.batch.engine=embedded; with whisperx, the service's settings, the key never in a message. */
    private static org.steno.models.whisperx.WhisperXSettings batchWhisperX(Map<Setting, String> v) {
        String engine = v.get(Setting.MODELS_BATCH_ENGINE).strip().toLowerCase(java.util.Locale.ROOT);
        if (engine.equals("embedded")) {
            return null;
        }
        if (!engine.equals("whisperx")) {
            throw ConfigException.of(Setting.MODELS_BATCH_ENGINE, "'" + v.get(Setting.MODELS_BATCH_ENGINE) + "' is not one of embedded, whisperx");
        }
        String raw = v.get(Setting.MODELS_BATCH_WHISPERX_URL);
        if (raw.isEmpty()) {
            throw ConfigException.of(Setting.MODELS_BATCH_WHISPERX_URL, "is required when models.batch.engine=whisperx (e.g. https://gpu-1:8000)");
        }
        URI u = urlNeverRepeated(Setting.MODELS_BATCH_WHISPERX_URL, raw);
        try {
            return new org.steno.models.whisperx.WhisperXSettings(u, v.get(Setting.MODELS_BATCH_WHISPERX_API_KEY),
                    v.get(Setting.MODELS_BATCH_WHISPERX_MODEL), java.time.Duration.ofMinutes(30), 3);
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(Setting.MODELS_BATCH_WHISPERX_URL, e.getMessage());
        }
    }

    /** Empty, or host:port (checked only with models.engine=grpc, as models.remote-address is). */
    private static String diarizerAddress(Map<Setting, String> v) {
        String raw = v.get(Setting.MODELS_REMOTE_DIARIZER_ADDRESS);
        if (raw.isEmpty() || modelsEngine(v.get(Setting.MODELS_ENGINE)) != StenoConfig.ModelsEngine.GRPC) {
            return raw;
        }
        return hostPort(Setting.MODELS_REMOTE_DIARIZER_ADDRESS, raw);
    }

    /** Checked only with models.engine=kyutai; the api key is never repeated in a message. */
    private static URI kyutaiUrl(Map<Setting, String> v) {
        String raw = v.get(Setting.MODELS_KYUTAI_URL);
        if (modelsEngine(v.get(Setting.MODELS_ENGINE)) != StenoConfig.ModelsEngine.KYUTAI) {
            return null;
        }
        if (raw.isEmpty()) {
            throw ConfigException.of(Setting.MODELS_KYUTAI_URL, "is required when models.engine=kyutai (e.g. wss://gpu-1:8080)");
        }
        URI u = urlNeverRepeated(Setting.MODELS_KYUTAI_URL, raw);
        if (v.get(Setting.MODELS_KYUTAI_API_KEY).isBlank()) {
            throw ConfigException.of(Setting.MODELS_KYUTAI_API_KEY, "is required when models.engine=kyutai (one of the server's authorized_ids)");
        }
        try {
            org.steno.models.kyutai.KyutaiSettings.of(u, v.get(Setting.MODELS_KYUTAI_API_KEY));
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(Setting.MODELS_KYUTAI_URL, e.getMessage());
        }
        return u;
    }

    /** A URL that may hold a key by mistake: a refusal never repeats it. */
    private static URI urlNeverRepeated(Setting s, String raw) {
        try {
            return new URI(raw);
        } catch (java.net.URISyntaxException e) {
            throw ConfigException.of(s, "is not a URL (" + e.getReason() + ")");
        }
    }

    private static IdentitySettings identity(Map<Setting, String> v) {
        String dbUrl = v.get(Setting.DB_URL);
        if (!dbUrl.isEmpty() && !dbUrl.startsWith("jdbc:postgresql:") && !dbUrl.startsWith("jdbc:h2:")) {
            throw ConfigException.of(Setting.DB_URL, "must be a jdbc:postgresql:// URL (or jdbc:h2: for tests of the embedded one)");
        }
        String issuer = v.get(Setting.AUTH_OIDC_ISSUER);
        URI issuerUri = issuer.isEmpty() ? null : URI.create(httpUrlOrEmpty(Setting.AUTH_OIDC_ISSUER, issuer));
        if (issuerUri != null && v.get(Setting.AUTH_OIDC_CLIENT_ID).isEmpty()) {
            throw ConfigException.of(Setting.AUTH_OIDC_CLIENT_ID, "is required when auth.oidc.issuer is set");
        }
        java.util.Set<String> proxies = new java.util.LinkedHashSet<>();
        for (String p : v.get(Setting.HTTP_TRUSTED_PROXIES).split(",")) {
            if (!p.isBlank()) {
                proxies.add(p.strip());
            }
        }
        return new IdentitySettings(dbUrl, v.get(Setting.DB_USER), v.get(Setting.DB_PASSWORD),
                duration(Setting.AUTH_SESSION_IDLE_TIMEOUT, v.get(Setting.AUTH_SESSION_IDLE_TIMEOUT)),
                duration(Setting.AUTH_SESSION_MAX_AGE, v.get(Setting.AUTH_SESSION_MAX_AGE)),
                issuerUri, v.get(Setting.AUTH_OIDC_CLIENT_ID), v.get(Setting.AUTH_OIDC_CLIENT_SECRET),
                v.get(Setting.AUTH_OIDC_ROLE_CLAIM), v.get(Setting.AUTH_OIDC_ROLE_MAP), v.get(Setting.AUTH_OIDC_DEFAULT_ROLES),
                proxies);
    }

    /** "90s", "30m", "12h", "7d". */
    static java.time.Duration duration(Setting s, String raw) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([1-9][0-9]{0,6})([smhd])").matcher(raw.strip());
        if (!m.matches()) {
            throw ConfigException.of(s, "'" + raw + "' is not a duration such as 90s, 30m, 12h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    private static String token(Setting s, String raw) {
        if (raw.isEmpty()) {
            return raw;
        }
        if (raw.length() < 16 || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ConfigException.of(s, "must be at least 16 printable characters without spaces (e.g. the output of openssl rand -hex 24)");
        }
        return raw;
    }

    private static StenoConfig.ModelsEngine modelsEngine(String raw) {
        try {
            return StenoConfig.ModelsEngine.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(Setting.MODELS_ENGINE, "'" + raw + "' is not one of embedded, grpc, kyutai");
        }
    }

    private static String remoteAddress(Map<Setting, String> v) {
        String raw = v.get(Setting.MODELS_REMOTE_ADDRESS);
        if (modelsEngine(v.get(Setting.MODELS_ENGINE)) != StenoConfig.ModelsEngine.GRPC) {
            return raw;
        }
        return hostPort(Setting.MODELS_REMOTE_ADDRESS, raw);
    }

    private static String hostPort(Setting setting, String raw) {
        int colon = raw.lastIndexOf(':');
        if (raw.isEmpty() || colon <= 0 || colon == raw.length() - 1) {
            throw ConfigException.of(setting, (raw.isEmpty() ? "is required" : "'" + raw + "' is not host:port")
                    + " when models.engine=grpc (e.g. gpu-1:50051)");
        }
        port(setting, raw.substring(colon + 1));
        return raw;
    }

    private static java.nio.file.Path remoteCa(Map<Setting, String> v) {
        String raw = v.get(Setting.MODELS_REMOTE_CA);
        if (raw.isEmpty()) {
            return null;
        }
        if (!bool(Setting.MODELS_REMOTE_TLS, v.get(Setting.MODELS_REMOTE_TLS))) {
            throw ConfigException.of(Setting.MODELS_REMOTE_CA, "is set but models.remote-tls is false");
        }
        java.nio.file.Path p = Path.of(raw);
        if (!Files.isReadable(p)) {
            throw ConfigException.of(Setting.MODELS_REMOTE_CA, "file " + p.toAbsolutePath() + " cannot be read");
        }
        return p;
    }

    private static boolean bool(Setting s, String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigException.of(s, "'" + raw + "' is not true or false");
        };
    }

    static int port(Setting s, String raw) {
        int port;
        try {
            port = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw ConfigException.of(s, "'" + raw + "' is not a port number (0–65535)");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.of(s, port + " is not a port number (0–65535)");
        }
        return port;
    }

    private static String nonEmpty(Setting s, String raw) {
        if (raw.isEmpty()) {
            throw ConfigException.of(s, "must not be empty");
        }
        return raw;
    }

    private static String httpUrlOrEmpty(Setting s, String raw) {
        if (raw.isEmpty()) {
            return raw;
        }
        try {
            URI uri = new URI(raw);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw ConfigException.of(s, "'" + raw + "' is not an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw ConfigException.of(s, "'" + raw + "' is not a URL: " + e.getReason());
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    private static StenoConfig.LogFormat logFormat(String raw) {
        try {
            return StenoConfig.LogFormat.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(Setting.LOG_FORMAT, "'" + raw + "' is not one of text, json");
        }
    }

    private static Path writableDirectory(String raw) {
        if (raw.isEmpty()) {
            throw ConfigException.of(Setting.DATA_DIR, "must not be empty");
        }
        Path dir = Path.of(raw).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw ConfigException.of(Setting.DATA_DIR, "directory " + dir + " is not writable ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        return dir;
    }
}
