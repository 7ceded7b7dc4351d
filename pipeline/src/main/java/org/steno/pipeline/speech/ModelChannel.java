package org.steno.pipeline.speech;

import org.steno.access.ServiceToken;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.concurrent.TimeUnit;

/** The gRPC channel an operator keeps to a model server (Transcriber, Diarizer) for its lifetime. */
final class ModelChannel {

    private ModelChannel() {
    }

    /** Plaintext (the model servers sit on the cluster's network), kept alive across quiet meetings. */
    static ManagedChannel open(String target, ServiceToken token) {
        return ServiceToken.applyIfAny(token, NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .maxInboundMessageSize(4 * 1024 * 1024))
                .build();
    }

    static void close(ManagedChannel channel) throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
    }
}
