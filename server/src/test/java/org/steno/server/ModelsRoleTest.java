package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.server.lifecycle.Readiness;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/** {@code steno models}: the Transcriber served on the process's gRPC port, readiness from the engine. */
class ModelsRoleTest {

    @Test
    void modelsRoleServesTheTranscriberAndReportsReady(@TempDir Path tmp) throws Exception {
        try (StenoProcess p = new StenoProcess(Role.MODELS, TestConfigs.ephemeral(tmp.resolve("data")), Access.allowAll())) {
            p.start();
            Readiness r = p.readiness().get("models");
            assertThat(r.ready()).as(r.detail()).isTrue();
            assertThat(r.detail()).contains("pocketsphinx-en-us");
            ManagedChannel ch = p.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", p.grpcPort()).usePlaintext()).build();
            try {
                byte[] wav = Files.readAllBytes(Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav"));
                RecognizeResponse res = TranscriberGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                        .recognize(RecognizeRequest.newBuilder().setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US"))
                                .setContent(ByteString.copyFrom(wav)).build());
                assertThat(res.getResults(0).getAlternatives(0).getTranscript()).isEqualTo("he was not an illness those young man");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
