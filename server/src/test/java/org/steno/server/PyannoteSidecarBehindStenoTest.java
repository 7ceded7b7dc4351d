package org.steno.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.remote.PyannoteSidecar;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.RecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * {@code models.engine=grpc} with the pyannote sidecar as the diarizer ({@code models.remote-diarizer-address}) and
 * another Steno models process as the transcriber ({@code models.remote-address}), as an operator with a GPU host
 * would run them: Diarizer calls through Steno reach the sidecar (its stand-in pipeline: pyannote's weights cannot be
 * fetched here), Transcriber calls the other process, and /readyz names both.
 */
class PyannoteSidecarBehindStenoTest {

    private static final Path WAV = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav");

    @TempDir
    Path tmp;

    @Test
    void diarizerCallsGoToTheSidecarAndTranscriberCallsToTheOtherServer() throws Exception {
        String sidecarToken = org.steno.server.secrets.SecretFiles.randomHex(24);
        Map<String, String> remoteEnv = TestConfigs.ephemeralEnv(tmp.resolve("remote"));
        remoteEnv.put("STENO_SERVICE_TOKEN", sidecarToken); // one token for both remote services, as the relay sends one
        try (PyannoteSidecar sidecar = new PyannoteSidecar(tmp.resolve("stubs"),
                Map.of("STENO_PYANNOTE_STANDIN", "1", "STENO_PYANNOTE_TOKEN", sidecarToken));
             StenoProcess transcriber = new StenoProcess(Role.MODELS, ConfigLoader.load(null, remoteEnv),
                     new org.steno.server.access.StenoPolicy())) {
            transcriber.start();
            Map<String, String> env = TestConfigs.ephemeralEnv(tmp.resolve("relay"));
            env.put("STENO_MODELS_ENGINE", "grpc");
            env.put("STENO_MODELS_REMOTE_ADDRESS", "127.0.0.1:" + transcriber.grpcPort());
            env.put("STENO_MODELS_REMOTE_DIARIZER_ADDRESS", sidecar.address);
            env.put("STENO_MODELS_REMOTE_TOKEN", sidecarToken);
            try (StenoProcess relay = new StenoProcess(Role.MODELS, ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy())) {
                relay.start();
                ManagedChannel ch = relay.serviceToken().applyTo(NettyChannelBuilder.forAddress("127.0.0.1", relay.grpcPort())
                        .usePlaintext()).build();
                try {
                    DiarizeResponse d = retry(() -> DiarizerGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .diarize(DiarizeRequest.newBuilder().setConfig(DiarizationConfig.newBuilder().setStreamId("m-1/room/0"))
                                    .setContent(ByteString.copyFrom(Files.readAllBytes(WAV))).build()));
                    assertThat(d.getEngine().getName()).as("the diarizer that answered").isEqualTo("pyannote-standin");
                    assertThat(d.getTurnsList()).as("speech turns").isNotEmpty();

                    // The sidecar serves no Transcriber (UNIMPLEMENTED): an answer with words is the other server's.
                    RecognizeResponse r = retry(() -> TranscriberGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
                            .recognize(RecognizeRequest.newBuilder().setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US")
                                    .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_WAV)))
                                    .setContent(ByteString.copyFrom(Files.readAllBytes(WAV))).build()));
                    assertThat(r.getResultsList()).as("the transcriber's words").isNotEmpty();
                } finally {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
                HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + relay.httpPort() + "/readyz")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                assertThat(ready.body()).contains("diarizer " + sidecar.address);
            }
        }
    }

    /** The relay connects lazily and backs off: the first call may find it still connecting. */
    private static <T> T retry(java.util.concurrent.Callable<T> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            try {
                return call.call();
            } catch (io.grpc.StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }
}
