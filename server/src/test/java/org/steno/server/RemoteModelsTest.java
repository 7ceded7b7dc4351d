package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.Access;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.server.config.ConfigException;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * {@code models.engine=grpc}: a models process relays to another one (standing in for a GPU
 * host) and answers exactly what that one answers; while it is down, /readyz says so.
 */
class RemoteModelsTest {

    private static final Path WAV = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav");

    @TempDir
    Path tmp;

    private static String recognize(StenoProcess p) throws Exception {
        ManagedChannel ch = p.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", p.grpcPort()).usePlaintext()).build();
        try {
            RecognizeResponse r = TranscriberGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .recognize(RecognizeRequest.newBuilder()
                            .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US").setWordTimeOffsets(true)
                                    .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_WAV)))
                            .setContent(ByteString.copyFrom(Files.readAllBytes(WAV)))
                            .build());
            return r.getResultsList().stream().map(x -> x.getAlternatives(0).getTranscript()).collect(Collectors.joining(" "));
        } finally {
            ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aGrpcModelsProcessRelaysToTheRemoteAndReportsItsAbsence() throws Exception {
        int remotePort;
        try (ServerSocket s = new ServerSocket(0)) {
            remotePort = s.getLocalPort();
        }
        Map<String, String> relayEnv = TestConfigs.ephemeralEnv(tmp.resolve("relay"));
        relayEnv.put("STENO_MODELS_ENGINE", "grpc");
        relayEnv.put("STENO_MODELS_REMOTE_ADDRESS", "127.0.0.1:" + remotePort);
        // The remote is another Steno on another host: the relay presents that deployment's token.
        String remoteToken = org.steno.server.secrets.SecretFiles.randomHex(24);
        relayEnv.put("STENO_MODELS_REMOTE_TOKEN", remoteToken);
        HttpClient http = HttpClient.newHttpClient();
        try (StenoProcess relay = new StenoProcess(Role.MODELS, ConfigLoader.load(null, relayEnv), new org.steno.server.access.StenoPolicy())) {
            relay.start();
            HttpResponse<String> down = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relay.httpPort() + "/readyz"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("127.0.0.1:" + remotePort);

            Map<String, String> remoteEnv = TestConfigs.ephemeralEnv(tmp.resolve("remote"));
            remoteEnv.put("STENO_GRPC_PORT", Integer.toString(remotePort));
            remoteEnv.put("STENO_SERVICE_TOKEN", remoteToken);
            try (StenoProcess remote = new StenoProcess(Role.MODELS, ConfigLoader.load(null, remoteEnv), new org.steno.server.access.StenoPolicy())) {
                remote.start();
                String direct = recognize(remote);
                assertThat(direct).isNotBlank();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                String relayed = null;
                while (System.nanoTime() < deadline) {
                    try {
                        relayed = recognize(relay);
                        break;
                    } catch (io.grpc.StatusRuntimeException e) {
                        Thread.sleep(300); // the relay's backoff may not have retried yet
                    }
                }
                assertThat(relayed).as("the relay's answer").isEqualTo(direct);
            }
        }
    }

    @Test
    void grpcEngineWithoutAnAddressIsRefusedNamingTheSetting() {
        Map<String, String> env = TestConfigs.ephemeralEnv(tmp);
        env.put("STENO_MODELS_ENGINE", "grpc");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("models.remote-address (STENO_MODELS_REMOTE_ADDRESS): is required");
        env.put("STENO_MODELS_REMOTE_ADDRESS", "gpu-1:notaport");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null, env))
                .hasMessageStartingWith("models.remote-address (STENO_MODELS_REMOTE_ADDRESS): ");
        env.put("STENO_MODELS_REMOTE_ADDRESS", "gpu-1:50051");
        env.put("STENO_MODELS_REMOTE_DIARIZER_ADDRESS", "gpu-2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null, env))
                .hasMessageStartingWith("models.remote-diarizer-address (STENO_MODELS_REMOTE_DIARIZER_ADDRESS): 'gpu-2' is not host:port");
        env.put("STENO_MODELS_REMOTE_DIARIZER_ADDRESS", "gpu-2:50052");
        assertThat(ConfigLoader.load(null, env).modelsDiarizerAddress()).isEqualTo("gpu-2:50052");
        env.remove("STENO_MODELS_REMOTE_DIARIZER_ADDRESS");
        assertThat(ConfigLoader.load(null, env).modelsDiarizerAddress()).as("defaults to the remote address").isEqualTo("gpu-1:50051");
        env.put("STENO_MODELS_ENGINE", "cuda");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigLoader.load(null, env))
                .hasMessageStartingWith("models.engine (STENO_MODELS_ENGINE): 'cuda' is not one of embedded, grpc");
    }
}
