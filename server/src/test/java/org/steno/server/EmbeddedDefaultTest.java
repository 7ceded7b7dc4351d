package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.server.net.Ports;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;
import org.steno.server.storage.S3Storage;
import org.steno.server.storage.S3Target;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Boots the embedded default ({@code steno up}) on free ports and uses it as a user would. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedDefaultTest {

    @TempDir
    static Path dataDir;

    private StenoProcess steno;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void boot() throws Exception {
        steno = new StenoProcess(Role.UP, TestConfigs.ephemeral(dataDir), Access.allowAll());
        steno.start();
    }

    @AfterAll
    void shutdown() {
        if (steno != null) {
            steno.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzIsAlive() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).path("status").asString()).isEqualTo("alive");
    }

    @Test
    void readyzListsEveryComponentOfTheEmbeddedDefault() throws Exception {
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("status").asString()).isEqualTo("ready");
        List<String> names = body.path("components").valueStream().map(n -> n.path("name").asString()).toList();
        assertThat(names).containsExactly("s3-embedded", "s3", "identity", "archive-index", "archive-retention", "meetings", "sfu", "models", "recorder", "recording-taps", "pipeline", "subtitles", "grpc", "http");
        body.path("components").forEach(c -> {
            assertThat(c.path("ready").asBoolean()).as(c.toString()).isTrue();
            assertThat(c.path("detail").asString()).as(c.toString()).isNotBlank();
        });
    }

    @Test
    void servesTheAppShell() throws Exception {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/html"));
        assertThat(r.body()).contains("<title>Steno").contains("id=\"app\"").contains("app.js");
        HttpResponse<String> js = get("/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type").orElse("")).contains("javascript");
    }

    @Test
    void unknownPathIsAJsonErrorNotAStackTrace() throws Exception {
        HttpResponse<String> r = get("/no/such/page");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json.readTree(r.body()).path("error").asString()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void metricsArePrometheusText() throws Exception {
        get("/healthz");
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        assertThat(r.body())
                .contains("steno_component_ready{component=\"s3\"} 1.0")
                .contains("jvm_memory_used_bytes")
                .containsPattern("steno_http_requests_total\\{method=\"GET\",status=\"200\"\\} [1-9]");
    }

    @Test
    void s3RoundTripThroughTheSdkAgainstTheEmbeddedEndpoint() {
        S3Target target = steno.storageTarget();
        assertThat(target.endpoint().getPort()).isPositive();
        // A fresh client from nothing but the target: what any module or external tool would do.
        try (S3Client s3 = S3Storage.newClient(target)) {
            s3.putObject(b -> b.bucket(target.bucket()).key("meetings/m-1/meeting.json"), RequestBody.fromString("{\"id\":\"m-1\"}"));
            s3.putObject(b -> b.bucket(target.bucket()).key("meetings/m-2/meeting.json"), RequestBody.fromString("{\"id\":\"m-2\"}"));
            String back = s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key("meetings/m-1/meeting.json")).asUtf8String();
            assertThat(back).isEqualTo("{\"id\":\"m-1\"}");
            List<String> keys = s3.listObjectsV2(b -> b.bucket(target.bucket()).prefix("meetings/")).contents()
                    .stream().map(S3Object::key).toList();
            assertThat(keys).containsExactly("meetings/m-1/meeting.json", "meetings/m-2/meeting.json");
        }
        // The filesystem store keeps the object under the data directory.
        assertThat(dataDir.resolve("s3").resolve(target.bucket())).isDirectory();
    }

    @Test
    void s3RefusesWrongCredentials() {
        S3Target t = steno.storageTarget();
        S3Target wrong = new S3Target(t.endpoint(), t.region(), t.accessKey(), "not-the-secret", t.bucket());
        try (S3Client s3 = S3Storage.newClient(wrong)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(t.bucket())))
                    .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class)
                    .satisfies(e -> assertThat(((software.amazon.awssdk.services.s3.model.S3Exception) e).statusCode()).isEqualTo(403));
        }
    }

    @Test
    void grpcHealthServesAnyoneAndReflectionIsOffByDefault() throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", steno.grpcPort()).usePlaintext().build();
        try {
            HealthCheckResponse h = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("").build());
            assertThat(h.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

            CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
            StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .serverReflectionInfo(new StreamObserver<>() {
                        @Override
                        public void onNext(ServerReflectionResponse value) {
                            answer.complete(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            answer.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
            req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(io.grpc.StatusRuntimeException.class)
                    .cause().satisfies(e -> assertThat(((io.grpc.StatusRuntimeException) e).getStatus().getCode())
                            .isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED));
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void credentialsArePersistedOwnerOnly() throws Exception {
        Path creds = dataDir.resolve("s3-credentials.properties");
        assertThat(creds).exists();
        assertThat(java.nio.file.Files.getPosixFilePermissions(creds))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(java.nio.file.Files.readString(creds)).contains(steno.storageTarget().accessKey());
    }
}
