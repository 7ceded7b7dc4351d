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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.TestAudio;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.RecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** Every kind of bad input gets a clear status, and the server keeps serving afterwards. */
class TranscriberBadInputTest {

    static EmbeddedTranscriber engine;
    static Server server;
    static ManagedChannel channel;
    static TranscriberGrpc.TranscriberStub stub;

    @BeforeAll
    static void start() throws Exception {
        engine = new EmbeddedTranscriber(TranscriberSettings.defaults().withMaxDecoders(2));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new TranscriberService(engine)).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        stub = TranscriberGrpc.newStub(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        engine.close();
    }

    static Status streamStatus(Consumer<RecognizeStream> script) throws Exception {
        RecognizeStream s = RecognizeStream.open(stub);
        script.accept(s);
        return s.await();
    }

    static StreamingRecognitionConfig withFormat(AudioEncoding enc, int rate) {
        StreamingRecognitionConfig c = RecognizeStream.config("bad");
        return c.toBuilder().setConfig(c.getConfig().toBuilder()
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(enc).setSampleRateHz(rate))).build();
    }

    static StreamingRecognizeRequest audio(int bytes) {
        return StreamingRecognizeRequest.newBuilder().setAudio(ByteString.copyFrom(new byte[bytes])).build();
    }

    @Test
    void audioBeforeConfig() throws Exception {
        Status st = streamStatus(s -> s.sendRaw(audio(3200)));
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("audio before the config");
    }

    @Test
    void streamEndingWithoutConfig() throws Exception {
        Status st = streamStatus(RecognizeStream::halfClose);
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("without a config");
    }

    @Test
    void wrongSampleRate() throws Exception {
        Status st = streamStatus(s -> s.send(withFormat(AudioEncoding.AUDIO_ENCODING_LINEAR16, 8000)));
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("8000 Hz").contains("only LINEAR16 16000 Hz mono");
    }

    @Test
    void wrongEncoding() throws Exception {
        Status st = streamStatus(s -> s.send(withFormat(AudioEncoding.AUDIO_ENCODING_OGG_OPUS, 48000)));
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("AUDIO_ENCODING_OGG_OPUS").contains("only LINEAR16 16000 Hz mono");
    }

    @Test
    void unsupportedLanguageNamesTheSupportedOnes() throws Exception {
        StreamingRecognitionConfig c = RecognizeStream.config("fr");
        Status st = streamStatus(s -> s.send(c.toBuilder().setConfig(c.getConfig().toBuilder().setLanguageCode("fr-FR")).build()));
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("fr-FR").contains("supported: en");
    }

    @Test
    void oversizedChunkByBytes() throws Exception {
        Status st = streamStatus(s -> {
            s.send(RecognizeStream.config("big"));
            s.sendRaw(audio(48000));
        });
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).isEqualTo("chunk of 48000 bytes exceeds 32768; send ≤ 100 ms per chunk");
    }

    @Test
    void chunkLongerThanOneSecond() throws Exception {
        Status st = streamStatus(s -> {
            s.send(RecognizeStream.config("long"));
            s.sendRaw(audio(32002));
        });
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("exceeds 1 s");
    }

    @Test
    void oddChunk() throws Exception {
        Status st = streamStatus(s -> {
            s.send(RecognizeStream.config("odd"));
            s.sendRaw(audio(3201));
        });
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("whole number of 16-bit samples");
    }

    @Test
    void repeatedConfig() throws Exception {
        Status st = streamStatus(s -> {
            s.send(RecognizeStream.config("twice"));
            s.send(RecognizeStream.config("twice"));
        });
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("config sent twice");
    }

    @Test
    void badFlushId() throws Exception {
        Status st = streamStatus(s -> {
            s.send(RecognizeStream.config("flush"));
            s.flush("");
        });
        assertThat(st.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(st.getDescription()).contains("flush id");
    }

    static StatusRuntimeException recognizeFails(RecognizeRequest.Builder r) {
        return catchThrowableOfType(StatusRuntimeException.class, () -> TranscriberGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .recognize(r.setConfig(RecognitionConfig.newBuilder().setLanguageCode("en")).build()));
    }

    @Test
    void recognizeRefusesEmptyNotMediaVideoWithoutAudioAndLocalFiles(@TempDir Path dir) throws Exception {
        StatusRuntimeException empty = recognizeFails(RecognizeRequest.newBuilder().setContent(ByteString.EMPTY));
        assertThat(empty.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(empty.getStatus().getDescription()).contains("empty");

        StatusRuntimeException text = recognizeFails(RecognizeRequest.newBuilder()
                .setContent(ByteString.copyFromUtf8("minutes of the meeting, not audio\n".repeat(50))));
        assertThat(text.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(text.getStatus().getDescription()).contains("not a media file");

        Path video = MediaFixtures.videoWithoutAudio(dir);
        StatusRuntimeException silentVideo = recognizeFails(RecognizeRequest.newBuilder()
                .setContent(ByteString.copyFrom(Files.readAllBytes(video))));
        assertThat(silentVideo.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(silentVideo.getStatus().getDescription()).contains("video with no audio track");

        StatusRuntimeException local = recognizeFails(RecognizeRequest.newBuilder().setUri(TestAudio.SHORT_SENTENCE.toUri().toString()));
        assertThat(local.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);

        StatusRuntimeException raw8k = catchThrowableOfType(StatusRuntimeException.class, () -> TranscriberGrpc.newBlockingStub(channel)
                .recognize(RecognizeRequest.newBuilder().setContent(ByteString.copyFrom(new byte[1600]))
                        .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en").setAudioFormat(
                                AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(8000)))
                        .build()));
        assertThat(raw8k.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(raw8k.getStatus().getDescription()).contains("16000 Hz mono");
    }

    @Test
    void serverStillServesAfterBadInput() throws Exception {
        audioBeforeConfig();
        oversizedChunkByBytes();
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("fine"));
        s.sendAudio(TestAudio.pcm(TestAudio.SHORT_SENTENCE), 3200);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        assertThat(TranscriberServiceTest.results(s.snapshot())).anySatisfy(r ->
                assertThat(r.getAlternatives(0).getTranscript()).isEqualTo("he was not an illness those young man"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (engine.pool().inUse() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(engine.pool().inUse()).isZero();
    }
}
