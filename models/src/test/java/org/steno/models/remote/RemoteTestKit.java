package org.steno.models.remote;

import com.google.protobuf.Duration;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** Real netty servers and channels for the remote-engine tests. */
final class RemoteTestKit {

    private RemoteTestKit() {
    }

    static Duration ms(long millis) {
        return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    static Server startServer(int port, BindableService... services) throws IOException {
        return startServer(port, InsecureServerCredentials.create(), services);
    }

    static Server startServer(int port, ServerCredentials credentials, BindableService... services)
            throws IOException {
        NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port), credentials);
        for (BindableService service : services) {
            builder.addService(service);
        }
        return builder.build().start();
    }

    static ManagedChannel plaintextChannel(Server server) {
        return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    static void stop(Server server) throws InterruptedException {
        if (server != null) {
            server.shutdownNow();
            server.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static void stop(ManagedChannel channel) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
