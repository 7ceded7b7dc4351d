package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.access.Action;
import org.steno.access.Caller;
import org.steno.access.Decision;
import org.steno.access.Resource;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/** Every entry point asks the one {@link Access}; swapping the policy changes behaviour everywhere. */
class AccessPointTest {

    @TempDir
    Path dataDir;

    record Asked(Caller caller, Action action, Resource resource) {
    }

    @Test
    void aRefusingPolicyIsEnforcedOnHttpStaticFilesAndGrpc() throws Exception {
        List<Asked> asked = new CopyOnWriteArrayList<>();
        Access denyAll = (caller, action, resource) -> {
            asked.add(new Asked(caller, action, resource));
            return Decision.deny("test policy refuses " + action);
        };
        try (StenoProcess steno = new StenoProcess(Role.SERVER, TestConfigs.ephemeral(dataDir), denyAll)) {
            steno.start();
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/healthz", "/", "/app.js")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + steno.httpPort() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(403);
                assertThat(r.body()).as(path).contains("test policy refuses").doesNotContain("<html");
            }
            assertThat(asked).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo(Action.OBSERVE);
                assertThat(a.resource()).isEqualTo(Resource.system("healthz"));
                assertThat(a.caller().channel()).isEqualTo(Caller.Channel.HTTP);
            });
            assertThat(asked).anySatisfy(a -> {
                assertThat(a.action()).isEqualTo(Action.VIEW);
                assertThat(a.resource()).isEqualTo(new Resource("web", "/app.js"));
            });

            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", steno.grpcPort()).usePlaintext().build();
            try {
                assertThatThrownBy(() -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(HealthCheckRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                            assertThat(e.getStatus().getDescription()).isEqualTo("test policy refuses OBSERVE");
                        });
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            assertThat(asked).anySatisfy(a -> {
                assertThat(a.caller().channel()).isEqualTo(Caller.Channel.GRPC);
                assertThat(a.resource()).isEqualTo(new Resource("grpc", "grpc.health.v1.Health/Check"));
            });
        }
    }
}
