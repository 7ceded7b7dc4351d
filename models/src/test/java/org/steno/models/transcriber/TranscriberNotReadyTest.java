package org.steno.models.transcriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.asr.AsrModelPaths;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** Without its model the engine is not ready and says what to install; calls get UNAVAILABLE with that sentence. */
class TranscriberNotReadyTest {

    @Test
    void missingModelMeansNotReadyAndUnavailableWithTheInstallCommand(@TempDir Path dir) throws Exception {
        try (EmbeddedTranscriber engine = new EmbeddedTranscriber(TranscriberSettings.defaults()
                .withModel(AsrModelPaths.inDirectory(dir.resolve("no-model"))))) {
            assertThat(engine.status().ready()).isFalse();
            assertThat(engine.status().detail()).contains("apt-get install libpocketsphinx3 pocketsphinx-en-us");
            assertThat(engine.pool()).isNull();
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                    .addService(new TranscriberService(engine)).build().start();
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
            try {
                RecognizeStream s = RecognizeStream.open(TranscriberGrpc.newStub(ch));
                s.send(RecognizeStream.config("x"));
                Status st = s.await();
                assertThat(st.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(st.getDescription()).contains("apt-get install libpocketsphinx3 pocketsphinx-en-us");

                StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> TranscriberGrpc.newBlockingStub(ch)
                        .withDeadlineAfter(10, TimeUnit.SECONDS)
                        .recognize(RecognizeRequest.newBuilder().setConfig(RecognitionConfig.newBuilder().setLanguageCode("en"))
                                .setContent(ByteString.copyFrom(new byte[3200])).build()));
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aServiceWhoseEngineIsNotStartedAnswersUnavailable() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TranscriberService(() -> null)).build().start();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            RecognizeStream s = RecognizeStream.open(TranscriberGrpc.newStub(ch));
            s.send(RecognizeStream.config("x"));
            assertThat(s.await().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
