package org.steno.server.config;

import java.util.Locale;

/**
 * One configuration key. The same key is written {@code http.port} in a config file and
 * {@code STENO_HTTP_PORT} in the environment; the README's table lists every one of them.
 */
public enum Setting {
    DATA_DIR("data.dir", "./steno-data", "Where the embedded S3 store, credentials, spools and the index live."),
    HTTP_HOST("http.host", "0.0.0.0", "Address the HTTP/WebSocket server and the media port bind."),
    HTTP_PORT("http.port", "8080", "HTTP and WebSocket port (0 picks a free one)."),
    PUBLIC_URL("public.url", "", "Base URL printed and put in join links; empty means http://localhost:<http.port>."),
    GRPC_HOST("grpc.host", "127.0.0.1", "Address the gRPC server binds: loopback unless other hosts run Steno roles (then e.g. 0.0.0.0, with the service token)."),
    GRPC_REFLECTION("grpc.reflection", "false", "Serve gRPC reflection (for grpcurl): true or false."),
    SERVICE_TOKEN("service.token", "", "Secret the Steno roles present to each other's internal gRPC services; empty means generated and kept in <data.dir>/service-token (mode 600)."),
    GRPC_PORT("grpc.port", "9090", "gRPC port for MediaTap, speech, caption ingest, health and reflection (0 picks a free one)."),
    MEDIA_PORT("media.port", "10000", "UDP port for all WebRTC media (ICE-lite, DTLS-SRTP) (0 picks a free one)."),
    MEDIA_ADVERTISED_ADDRESS("media.advertised-address", "", "IP address put in ICE candidates when behind NAT; empty means the host's own."),
    S3_ENDPOINT("s3.endpoint", "", "URL of an S3-compatible store; empty runs the embedded one (s3proxy on s3.port)."),
    S3_HOST("s3.host", "127.0.0.1", "Address the embedded S3 store binds: loopback unless roles on other hosts use it."),
    S3_PORT("s3.port", "9000", "Port of the embedded S3 store (0 picks a free one)."),
    S3_BUCKET("s3.bucket", "steno", "Bucket holding meetings, recordings and transcripts."),
    S3_REGION("s3.region", "us-east-1", "Region used to sign S3 requests."),
    S3_ACCESS_KEY("s3.access-key", "", "S3 access key; empty with the embedded store means generated and kept in <data.dir>/s3-credentials.properties."),
    S3_SECRET_KEY("s3.secret-key", "", "S3 secret key (see s3.access-key)."),
    MODELS_ENGINE("models.engine", "embedded", "Speech engines behind Transcriber and Diarizer: embedded (pocketsphinx + builtin diarizer in this JVM), grpc (a remote server with our contract) or kyutai (Kyutai's STT server, moshi-server, behind Transcriber; the builtin diarizer stays)."),
    MODELS_REMOTE_ADDRESS("models.remote-address", "", "host:port of the remote speech server when models.engine=grpc."),
    MODELS_REMOTE_DIARIZER_ADDRESS("models.remote-diarizer-address", "",
            "host:port of the server that diarizes when models.engine=grpc, if not models.remote-address (the pyannote sidecar serves only Diarizer); empty: models.remote-address."),
    MODELS_REMOTE_TLS("models.remote-tls", "false", "Use TLS to the remote speech server: true or false."),
    MODELS_REMOTE_CA("models.remote-ca", "", "PEM file of the CA to trust for the remote speech server; empty means the JVM's CAs."),
    MODELS_REMOTE_TOKEN("models.remote-token", "", "Service token presented to the remote speech server when it is another Steno (its service.token); empty sends none."),
    MODELS_KYUTAI_URL("models.kyutai.url", "", "ws:// or wss:// base URL of the Kyutai STT server (moshi-server) when models.engine=kyutai, e.g. wss://gpu-1:8080; /api/asr-streaming is appended."),
    MODELS_BATCH_ENGINE("models.batch.engine", "embedded", "After a recording is finalized: embedded (the live transcript stays the meeting's transcript; nothing more runs) or whisperx (each microphone track is transcribed again by a WhisperX service into a final version the archive shows first)."),
    MODELS_BATCH_WHISPERX_URL("models.batch.whisperx.url", "", "http:// or https:// base URL of the WhisperX service (La Suite Meet's transcription API) when models.batch.engine=whisperx, e.g. https://gpu-1:8000; /v1/audio/transcriptions is appended."),
    MODELS_BATCH_WHISPERX_API_KEY("models.batch.whisperx.api-key", "", "Sent as Authorization: Bearer to the WhisperX service (never in the URL, never printed); empty sends none."),
    MODELS_BATCH_WHISPERX_MODEL("models.batch.whisperx.model", "large-v2", "The model form field sent to the WhisperX service."),
    MODELS_KYUTAI_API_KEY("models.kyutai.api-key", "", "One of that server's authorized_ids, sent in the kyutai-api-key header (never in the URL); required with models.engine=kyutai."),
    DB_URL("db.url", "", "JDBC URL of the PostgreSQL database for accounts, sessions, meetings and the audit log; empty means an embedded H2 file under <data.dir>/db."),
    DB_USER("db.user", "", "Database user (with db.url)."),
    DB_PASSWORD("db.password", "", "Database password (with db.url)."),
    AUTH_SESSION_IDLE_TIMEOUT("auth.session.idle-timeout", "30m", "A session unused this long is over (s, m, h or d suffix)."),
    AUTH_SESSION_MAX_AGE("auth.session.max-age", "12h", "A session is over this long after sign-in, used or not."),
    AUTH_OIDC_ISSUER("auth.oidc.issuer", "", "Issuer URL of the OpenID Connect provider (Keycloak realm, ProConnect…); empty means local accounts only."),
    AUTH_OIDC_CLIENT_ID("auth.oidc.client-id", "", "Client id registered at the provider."),
    AUTH_OIDC_CLIENT_SECRET("auth.oidc.client-secret", "", "Client secret registered at the provider."),
    AUTH_OIDC_ROLE_CLAIM("auth.oidc.role-claim", "groups", "ID token claim whose values map to roles."),
    AUTH_OIDC_ROLE_MAP("auth.oidc.role-map", "", "Claim values to roles, e.g. steno-admins=admin,steno-auditors=auditor."),
    AUTH_OIDC_DEFAULT_ROLES("auth.oidc.default-roles", "agent", "Roles everyone who signs in through the provider gets (comma-separated; may be empty)."),
    HTTP_TRUSTED_PROXIES("http.trusted-proxies", "", "Addresses of reverse proxies whose X-Forwarded-For is believed (comma-separated)."),
    MEETINGS_LOBBY_TIMEOUT("meetings.lobby-timeout", "10m", "How long a request to join waits in the lobby for a host's answer."),
    MEETINGS_END_AFTER_EMPTY("meetings.end-after-empty", "2m", "A meeting ends this long after the last person left; its recordings and transcripts are finalized then."),
    ARCHIVE_RETENTION_RECORDINGS("archive.retention.recordings", "90d", "Recordings are deleted this long after they started, unless their meeting is under legal hold (s, m, h or d suffix)."),
    ARCHIVE_RETENTION_TRANSCRIPTS("archive.retention.transcripts", "365d", "Transcripts are deleted this long after they were written, unless their meeting is under legal hold."),
    LOG_FORMAT("log.format", "text", "Log format on stdout: text or json.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** {@code http.port} → {@code STENO_HTTP_PORT}. */
    public String envName() {
        return "STENO_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How a message names this setting: both spellings, so the user finds it wherever they set it. */
    public String label() {
        return key + " (" + envName() + ")";
    }

    public static Setting byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }

    public static Setting byEnvName(String env) {
        for (Setting s : values()) {
            if (s.envName().equals(env)) {
                return s;
            }
        }
        return null;
    }
}
