package org.steno.server.grpc;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.steno.access.Access;
import org.steno.access.ServiceToken;
import org.steno.server.config.Setting;
import org.steno.server.config.StenoConfig;
import org.steno.server.lifecycle.Component;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.lifecycle.StartupException;
import org.steno.server.net.Ports;

/**
 * The process's one gRPC server: the standard health service, reflection, and whatever
 * services the roles contribute, all behind {@link AccessInterceptor}.
 */
public final class GrpcServer implements Component {

    private final StenoConfig config;
    private final Access access;
    private final ServiceToken token;
    private final List<BindableService> services;
    private final HealthStatusManager health = new HealthStatusManager();
    private volatile Server server;

    /** @param token the service token callers of the internal services must present */
    public GrpcServer(StenoConfig config, Access access, ServiceToken token, List<BindableService> services) {
        this.config = config;
        this.access = access;
        this.token = token;
        this.services = List.copyOf(services);
    }

    @Override
    public String name() {
        return "grpc";
    }

    @Override
    public void start() throws Exception {
        ServerBuilder<?> b = NettyServerBuilder.forAddress(new InetSocketAddress(config.grpcHost(), config.grpcPort()))
                // A silent peer must not hold a stream forever; a live one pings within this.
                .keepAliveTime(60, TimeUnit.SECONDS)
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .maxInboundMessageSize(4 * 1024 * 1024);
        AccessInterceptor guard = new AccessInterceptor(access, token);
        b.addService(ServerInterceptors.intercept(health.getHealthService(), guard));
        if (config.grpcReflection()) {
            b.addService(ServerInterceptors.intercept(ProtoReflectionServiceV1.newInstance(), guard));
        }
        for (BindableService s : services) {
            b.addService(ServerInterceptors.intercept(s, guard));
        }
        Server s = b.build();
        try {
            s.start();
        } catch (IOException e) {
            s.shutdownNow();
            if (Ports.isBindFailure(e)) {
                throw StartupException.portInUse(Setting.GRPC_PORT, config.grpcHost(), config.grpcPort(), e);
            }
            throw e;
        }
        server = s;
        for (BindableService svc : services) {
            health.setStatus(svc.bindService().getServiceDescriptor().getName(), ServingStatus.SERVING);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
    }

    /** What the running server serves, method by method: the access matrix test walks it. */
    public List<io.grpc.ServerServiceDefinition> served() {
        Server s = server;
        if (s == null) {
            throw new IllegalStateException("gRPC server is not started");
        }
        return s.getServices();
    }

    public int port() {
        Server s = server;
        if (s == null) {
            throw new IllegalStateException("gRPC server is not started");
        }
        return s.getPort();
    }

    @Override
    public void stop() {
        Server s = server;
        server = null;
        if (s == null) {
            return;
        }
        // Tell health watchers first, so load balancers stop sending before the port closes.
        health.enterTerminalState();
        s.shutdown();
        try {
            if (!s.awaitTermination(3, TimeUnit.SECONDS)) {
                s.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Readiness readiness() {
        Server s = server;
        return s == null ? Readiness.notReady("not started") : Readiness.ready("listening on port " + s.getPort());
    }
}
