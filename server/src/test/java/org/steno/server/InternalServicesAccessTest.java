package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.ServiceToken;
import org.steno.server.access.StenoPolicy;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * The internal gRPC contracts over a real socket on {@code steno up}'s defaults (ports picked
 * by the OS): every method the process serves × {anonymous, a wrong token, the service token}.
 * The rows come from what the server really serves, so a new service without a row fails here.
 */
class InternalServicesAccessTest {

    /** Services anyone may call; every other served service is internal. */
    private static final List<String> PUBLIC_SERVICES = List.of("grpc.health.v1.Health");
    /** The internal services a full {@code steno up} must serve (so the matrix is not vacuous). */
    private static final List<String> INTERNAL_SERVICES = List.of("steno.media.v1.MediaTap", "steno.media.v1.MediaIngest",
            "steno.captions.v1.CaptionIngest", "steno.speech.v1.Transcriber", "steno.speech.v1.Diarizer");

    @TempDir
    static Path dataDir;
    static StenoProcess steno;

    @BeforeAll
    static void start() throws Exception {
        // steno up's defaults but for the port numbers (the OS picks them): hosts, token, reflection.
        Map<String, String> env = TestConfigs.ephemeralEnv(dataDir);
        env.remove("STENO_HTTP_HOST");
        steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new StenoPolicy());
        steno.start();
    }

    @AfterAll
    static void stop() {
        if (steno != null) {
            steno.close();
        }
    }

    record Row(String method, String caller, Status.Code code) {
    }

    @Test
    void everyServedMethodRefusesAnyoneWithoutTheServiceToken() throws Exception {
        List<ServerServiceDefinition> served = steno.grpcServed();
        List<String> names = served.stream().map(d -> d.getServiceDescriptor().getName()).toList();
        assertThat(names).containsAll(INTERNAL_SERVICES).containsAll(PUBLIC_SERVICES);
        assertThat(names).as("every served service is in this test's table").allMatch(n -> PUBLIC_SERVICES.contains(n)
                || INTERNAL_SERVICES.contains(n));

        ServiceToken wrong = ServiceToken.of("0123456789abcdef0123456789abcdef");
        List<Row> unexpected = new ArrayList<>();
        int rows = 0;
        for (ServerServiceDefinition service : served) {
            boolean internal = !PUBLIC_SERVICES.contains(service.getServiceDescriptor().getName());
            for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
                for (String caller : List.of("anonymous", "wrong-token", "service")) {
                    ServiceToken token = switch (caller) {
                        case "anonymous" -> null;
                        case "wrong-token" -> wrong;
                        default -> steno.serviceToken();
                    };
                    Status.Code code = call(m.getMethodDescriptor(), token);
                    rows++;
                    boolean refused = code == Status.Code.UNAUTHENTICATED || code == Status.Code.PERMISSION_DENIED;
                    boolean expectRefused = caller.equals("wrong-token") || (internal && caller.equals("anonymous"));
                    if (refused != expectRefused) {
                        unexpected.add(new Row(m.getMethodDescriptor().getFullMethodName(), caller, code));
                    }
                }
            }
        }
        assertThat(rows).isGreaterThanOrEqualTo(3 * 10);
        assertThat(unexpected).as("unexpected allows or refusals").isEmpty();
    }

    @Test
    void theRefusalSaysWhatIsNeeded() throws Exception {
        MethodDescriptor<byte[], byte[]> subscribe = raw(org.steno.proto.media.v1.MediaTapGrpc.getSubscribeMethod());
        CompletableFuture<Status> closed = start(subscribe, null);
        Status s = closed.get(10, TimeUnit.SECONDS);
        assertThat(s.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(s.getDescription()).contains("internal Steno service").contains("service token");
    }

    @Test
    void theGeneratedTokenIsOwnerOnlyAndListenersAreLoopback() throws Exception {
        Path token = dataDir.resolve("service-token");
        assertThat(Files.getPosixFilePermissions(token))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(token).strip()).hasSize(64);
        assertThat(steno.config().grpcHost()).isEqualTo("127.0.0.1");
        assertThat(steno.config().s3Host()).isEqualTo("127.0.0.1");
        assertThat(steno.serviceToken().toString()).doesNotContain(Files.readString(token).strip());
    }

    /** The status a call ends with; a call the server accepted and keeps open counts as OK. */
    private static Status.Code call(MethodDescriptor<?, ?> m, ServiceToken token) throws Exception {
        CompletableFuture<Status> closed = start(raw(m), token);
        try {
            return closed.get(3, TimeUnit.SECONDS).getCode();
        } catch (java.util.concurrent.TimeoutException stillOpen) {
            return Status.Code.OK; // a stream that is served (Subscribe waits for media)
        }
    }

    private static CompletableFuture<Status> start(MethodDescriptor<byte[], byte[]> m, ServiceToken token) {
        ManagedChannel ch = ServiceToken.applyIfAny(token, NettyChannelBuilder.forAddress("127.0.0.1", steno.grpcPort())
                .usePlaintext()).build();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        ClientCall<byte[], byte[]> call = ch.newCall(m, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.complete(status);
            }
        }, new Metadata());
        call.request(1);
        call.sendMessage(new byte[0]); // an empty message: valid protobuf for every request type
        if (m.getType().clientSendsOneMessage()) {
            call.halfClose();
        }
        closed.whenComplete((s, e) -> ch.shutdownNow());
        closed.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> {
            call.cancel("test done", null);
            ch.shutdownNow();
            return null;
        });
        return closed;
    }

    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> m) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(m.getType()).setFullMethodName(m.getFullMethodName())
                .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    };
}
