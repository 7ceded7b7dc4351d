package org.steno.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("STENO_DATA_DIR", tmp.resolve("data").toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsMatchTheArchitecture() {
        StenoConfig c = ConfigLoader.load(null, env());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.grpcPort()).isEqualTo(9090);
        assertThat(c.mediaPort()).isEqualTo(10000);
        assertThat(c.s3Port()).isEqualTo(9000);
        assertThat(c.embeddedS3()).isTrue();
        assertThat(c.s3Bucket()).isEqualTo("steno");
        assertThat(c.publicUrl(8080)).isEqualTo("http://localhost:8080");
        assertThat(c.logFormat()).isEqualTo(StenoConfig.LogFormat.TEXT);
        // Internal services and the embedded store are not reachable from other hosts by default.
        assertThat(c.grpcHost()).isEqualTo("127.0.0.1");
        assertThat(c.s3Host()).isEqualTo("127.0.0.1");
        assertThat(c.grpcReflection()).isFalse();
        assertThat(c.serviceToken()).isEmpty();
    }

    @Test
    void theFinalPassIsOffByDefaultAndWhisperXNeedsAnHttpUrlWithoutAKeyInIt() {
        assertThat(ConfigLoader.load(null, env()).finalPass()).isFalse();
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_BATCH_ENGINE", "whisper")))
                .hasMessage("models.batch.engine (STENO_MODELS_BATCH_ENGINE): 'whisper' is not one of embedded, whisperx");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_BATCH_ENGINE", "whisperx")))
                .hasMessageStartingWith("models.batch.whisperx.url (STENO_MODELS_BATCH_WHISPERX_URL): is required");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_BATCH_ENGINE", "whisperx",
                "STENO_MODELS_BATCH_WHISPERX_URL", "https://gpu-1:8000/?key=wx-9", "STENO_MODELS_BATCH_WHISPERX_API_KEY", "wx-9")))
                .hasMessageContaining("no query").hasMessageNotContaining("wx-9");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_BATCH_ENGINE", "whisperx",
                "STENO_MODELS_BATCH_WHISPERX_URL", "ws://gpu-1:8000")))
                .hasMessageContaining("http:// or https://");
        StenoConfig c = ConfigLoader.load(null, env("STENO_MODELS_BATCH_ENGINE", "whisperx",
                "STENO_MODELS_BATCH_WHISPERX_URL", "https://gpu-1:8000", "STENO_MODELS_BATCH_WHISPERX_API_KEY", "wx-9"));
        assertThat(c.finalPass()).isTrue();
        assertThat(c.batchWhisperX().endpoint()).hasToString("https://gpu-1:8000/v1/audio/transcriptions");
        assertThat(c.batchWhisperX().model()).isEqualTo("large-v2");
        assertThat(c.toString()).doesNotContain("wx-9");
        assertThat(c.batchWhisperX().toString()).doesNotContain("wx-9");
    }

    @Test
    void kyutaiNeedsAWebSocketUrlAndAKeyAndNeverPrintsTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai")))
                .hasMessage("models.kyutai.url (STENO_MODELS_KYUTAI_URL): is required when models.engine=kyutai (e.g. wss://gpu-1:8080)");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL", "wss://gpu-1:8080")))
                .hasMessageStartingWith("models.kyutai.api-key (STENO_MODELS_KYUTAI_API_KEY): is required");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL", "http://gpu-1:8080",
                "STENO_MODELS_KYUTAI_API_KEY", "k-123")))
                .hasMessageContaining("must start with ws:// or wss://").hasMessageNotContaining("k-123");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL",
                "wss://gpu-1:8080?auth_id=k-123", "STENO_MODELS_KYUTAI_API_KEY", "k-123")))
                .hasMessageContaining("must carry no query").hasMessageNotContaining("k-123");
        // Whatever else is wrong with a URL that holds a key, the key is not repeated.
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL",
                "https://gpu-1:8080/api/asr-streaming?auth_id=k-123", "STENO_MODELS_KYUTAI_API_KEY", "k-123")))
                .hasMessageNotContaining("k-123");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL",
                "wss://gpu 1:8080/?auth_id=k-123", "STENO_MODELS_KYUTAI_API_KEY", "k-123")))
                .hasMessageStartingWith("models.kyutai.url (STENO_MODELS_KYUTAI_URL): is not a URL").hasMessageNotContaining("k-123");
        StenoConfig c = ConfigLoader.load(null, env("STENO_MODELS_ENGINE", "kyutai", "STENO_MODELS_KYUTAI_URL", "wss://gpu-1:8080",
                "STENO_MODELS_KYUTAI_API_KEY", "k-123"));
        assertThat(c.modelsEngine()).isEqualTo(StenoConfig.ModelsEngine.KYUTAI);
        assertThat(c.modelsKyutaiUrl()).hasToString("wss://gpu-1:8080");
        assertThat(c.modelsKyutaiApiKey()).isEqualTo("k-123");
        assertThat(c.toString()).doesNotContain("k-123");
    }

    @Test
    void aWeakServiceTokenIsRefusedAndNoTokenIsPrinted() {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_SERVICE_TOKEN", "short")))
                .hasMessageStartingWith("service.token (STENO_SERVICE_TOKEN): must be at least 16");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_MODELS_REMOTE_TOKEN", "has a space in it, long enough")))
                .hasMessageStartingWith("models.remote-token (STENO_MODELS_REMOTE_TOKEN): ");
        String secret = "0123456789abcdef0123456789abcdef";
        StenoConfig c = ConfigLoader.load(null, env("STENO_SERVICE_TOKEN", secret));
        assertThat(c.serviceToken()).isEqualTo(secret);
        assertThat(c.toString()).doesNotContain(secret);
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
        Path file = tmp.resolve("steno.properties");
        Files.writeString(file, "# comment\nhttp.port = 8181\ngrpc.port=9191\npublic.url=https://meet.example.org/\n");
        StenoConfig c = ConfigLoader.load(file, env("STENO_GRPC_PORT", "9292"));
        assertThat(c.httpPort()).isEqualTo(8181);
        assertThat(c.grpcPort()).isEqualTo(9292);
        assertThat(c.publicUrl(8181)).isEqualTo("https://meet.example.org");
    }

    @Test
    void unknownKeyInFileIsNamed() throws Exception {
        Path file = tmp.resolve("steno.properties");
        Files.writeString(file, "http.prot=8181\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'http.prot'");
    }

    @Test
    void unknownStenoEnvironmentVariableIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_HTTP_PROT", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("STENO_HTTP_PROT");
    }

    @Test
    void otherEnvironmentVariablesAreIgnored() {
        StenoConfig c = ConfigLoader.load(null, env("PATH", "/bin", "STENO_JAVA_OPTS", "-Xmx1g"));
        assertThat(c.httpPort()).isEqualTo(8080);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "-1", "65536", "80.5", ""})
    void badPortIsNamedBothWays(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_HTTP_PORT", value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("http.port (STENO_HTTP_PORT): ")
                .hasMessageContaining("port number");
    }

    @Test
    void unwritableDataDirectoryIsNamed() throws Exception {
        // A path below a regular file cannot be a directory, whoever runs the test (root included).
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_DATA_DIR", file.resolve("data").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("data.dir (STENO_DATA_DIR): ")
                .hasMessageContaining("not writable");
    }

    @Test
    void externalS3NeedsCredentials() {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_S3_ENDPOINT", "https://s3.example.org")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("s3.access-key (STENO_S3_ACCESS_KEY): ");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_S3_ACCESS_KEY", "a")))
                .hasMessageStartingWith("s3.secret-key (STENO_S3_SECRET_KEY): ");
        StenoConfig c = ConfigLoader.load(null, env("STENO_S3_ENDPOINT", "https://s3.example.org",
                "STENO_S3_ACCESS_KEY", "a", "STENO_S3_SECRET_KEY", "b"));
        assertThat(c.embeddedS3()).isFalse();
        assertThat(c.s3Endpoint().getHost()).isEqualTo("s3.example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://s3.example.org", "not a url", "http://"})
    void badS3EndpointIsNamed(String value) {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_S3_ENDPOINT", value,
                "STENO_S3_ACCESS_KEY", "a", "STENO_S3_SECRET_KEY", "b")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("s3.endpoint (STENO_S3_ENDPOINT): ");
    }

    @Test
    void badBucketAndLogFormatAreNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_S3_BUCKET", "Bad_Bucket")))
                .hasMessageStartingWith("s3.bucket (STENO_S3_BUCKET): ");
        assertThatThrownBy(() -> ConfigLoader.load(null, env("STENO_LOG_FORMAT", "xml")))
                .hasMessageStartingWith("log.format (STENO_LOG_FORMAT): ");
    }

    @Test
    void unreadableConfigFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(tmp.resolve("missing.properties"), env()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing.properties");
    }

    @Test
    void everySettingHasAnEnvironmentNameThatMapsBack() {
        for (Setting s : Setting.values()) {
            assertThat(Setting.byEnvName(s.envName())).isSameAs(s);
            assertThat(Setting.byKey(s.key())).isSameAs(s);
            assertThat(s.envName()).matches("STENO_[A-Z0-9_]+");
        }
    }
}
