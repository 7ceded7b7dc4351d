package org.steno.models.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.access.ServiceToken;
import org.steno.models.TestAudio;
import org.steno.models.diarize.Pcm;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.SpeakerCountHint;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/**
 * {@code models.engine=grpc} pointed at the pyannote sidecar: the sidecar runs as a process (its
 * test stand-in pipeline, {@code STENO_PYANNOTE_STANDIN=1}, since no weights exist here) and
 * requires a service token; our caller → {@link RemoteDiarizerService} (what the models role
 * serves, with the token as {@code models.remote-token}) → netty → the sidecar, all over real
 * sockets, on a WAV of real speech.
 */
class PyannoteSidecarEndToEndTest {

    static final String TOKEN = "e2e-token-" + Long.toHexString(System.nanoTime());
    static final long DEADLINE_S = 30;

    @TempDir
    static Path dir;
    static PyannoteSidecar sidecar;
    static RemoteSpeechClient client;
    static RemoteSpeechClient tokenless;
    static Server proxy;
    static Server tokenlessProxy;
    static ManagedChannel caller;
    static ManagedChannel tokenlessCaller;
    /** SHORT_SENTENCE (2.99 s), 1.5 s of silence, another sentence (3.29 s). */
    static byte[] pcm;
    static byte[] wav;

    @BeforeAll
    static void start() throws Exception {
        pcm = TestAudio.twoSentences(1.5);
        Path file = dir.resolve("two-voices.wav");
        Pcm.writeWav(file, Pcm.fromS16le(pcm, 0, pcm.length), 16000);
        wav = Files.readAllBytes(file);
        sidecar = new PyannoteSidecar(dir.resolve("stubs"), Map.of("STENO_PYANNOTE_STANDIN", "1", "STENO_PYANNOTE_TOKEN", TOKEN));
        client = new RemoteSpeechClient(RemoteEngineSettings.plaintext(sidecar.address), ServiceToken.of(TOKEN));
        proxy = RemoteTestKit.startServer(0, new RemoteDiarizerService(client));
        caller = RemoteTestKit.plaintextChannel(proxy);
        tokenless = new RemoteSpeechClient(RemoteEngineSettings.plaintext(sidecar.address));
        tokenlessProxy = RemoteTestKit.startServer(0, new RemoteDiarizerService(tokenless));
        tokenlessCaller = RemoteTestKit.plaintextChannel(tokenlessProxy);
    }

    @AfterAll
    static void stop() throws Exception {
        RemoteTestKit.stop(caller);
        RemoteTestKit.stop(tokenlessCaller);
        RemoteTestKit.stop(proxy);
        RemoteTestKit.stop(tokenlessProxy);
        if (client != null) {
            client.close();
            tokenless.close();
        }
        if (sidecar != null) {
            String log = sidecar.stop();
            assertThat(log).as("the sidecar's log").contains("service token required").doesNotContain(TOKEN);
        }
    }

    static DiarizerGrpc.DiarizerBlockingStub stub(ManagedChannel channel) {
        return DiarizerGrpc.newBlockingStub(channel).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS);
    }

    static double seconds(Duration d) {
        return d.getSeconds() + d.getNanos() / 1e9;
    }

    @Test
    void diarizesAWavWithSegmentsAndSpeakersMapped() {
        DiarizeResponse r = stub(caller).diarize(DiarizeRequest.newBuilder()
                .setConfig(DiarizationConfig.newBuilder().setStreamId("m-1/room/0")
                        .setMediaStart(Duration.newBuilder().setSeconds(90))
                        .setSpeakerCount(SpeakerCountHint.newBuilder().setMinSpeakers(2).setMaxSpeakers(4)))
                .setContent(ByteString.copyFrom(wav)).build());

        assertThat(r.getStreamId()).isEqualTo("m-1/room/0");
        assertThat(r.getEngine().getName()).isEqualTo("pyannote-standin");
        assertThat(r.getEngine().getModel()).isEqualTo("pyannote/speaker-diarization-community-1");
        assertThat(seconds(r.getAudioDuration())).isCloseTo(pcm.length / 32000.0, within(1e-6));
        // The stand-in's speech: 0.25–2.8 s, then 4.49 s + 0.25–2.9 s, on 50 ms frames.
        assertThat(r.getTurnsList()).hasSize(2);
        SpeakerTurn first = r.getTurns(0);
        SpeakerTurn second = r.getTurns(1);
        assertThat(List.of(first.getTurnId(), first.getSpeakerLabel(), second.getTurnId(), second.getSpeakerLabel()))
                .containsExactly("t0", "spk_0", "t1", "spk_1");
        assertThat(seconds(first.getStartOffset())).isCloseTo(0.25, within(1e-6));
        assertThat(seconds(first.getEndOffset())).isCloseTo(2.80, within(1e-6));
        assertThat(seconds(second.getStartOffset())).isCloseTo(4.75, within(1e-6));
        assertThat(seconds(second.getEndOffset())).isCloseTo(7.35, within(1e-6));
        for (SpeakerTurn t : r.getTurnsList()) {
            assertThat(t.getIsFinal()).isTrue();
            assertThat(seconds(t.getMediaStart())).isCloseTo(90 + seconds(t.getStartOffset()), within(1e-6));
            assertThat(seconds(t.getMediaEnd())).isCloseTo(90 + seconds(t.getEndOffset()), within(1e-6));
        }
        assertThat(r.getSpeakersList()).extracting(s -> s.getSpeakerLabel() + ":" + s.getTurnCount())
                .containsExactly("spk_0:1", "spk_1:1");
        assertThat(seconds(r.getSpeakers(1).getTotalSpeech())).isCloseTo(2.60, within(1e-6));
    }

    @Test
    void speakerCountsReachThePipeline() {
        DiarizeRequest.Builder request = DiarizeRequest.newBuilder().setContent(ByteString.copyFrom(wav));
        DiarizeResponse one = stub(caller).diarize(request.setConfig(DiarizationConfig.newBuilder().setStreamId("one")
                .setSpeakerCount(SpeakerCountHint.newBuilder().setExactSpeakers(1))).build());
        assertThat(one.getSpeakersList()).extracting(s -> s.getSpeakerLabel() + ":" + s.getTurnCount())
                .containsExactly("spk_0:2");
    }

    @Test
    void badRequestsComeBackAsTheSidecarSaidThem() {
        DiarizeRequest contradiction = DiarizeRequest.newBuilder().setContent(ByteString.copyFrom(wav))
                .setConfig(DiarizationConfig.newBuilder().setStreamId("bad")
                        .setSpeakerCount(SpeakerCountHint.newBuilder().setMinSpeakers(3).setMaxSpeakers(2))).build();
        assertThatThrownBy(() -> stub(caller).diarize(contradiction))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("speech server " + sidecar.address
                            + " answered INVALID_ARGUMENT: speaker_count: min_speakers 3 is greater than max_speakers 2");
                });
        DiarizeRequest notAudio = DiarizeRequest.newBuilder().setContent(ByteString.copyFromUtf8("RIFF....WAVEnotes"))
                .setConfig(DiarizationConfig.newBuilder().setStreamId("bad")).build();
        assertThatThrownBy(() -> stub(caller).diarize(notAudio))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("content is not a readable WAV file");
                });
    }

    @Test
    void withoutTheServiceTokenTheSidecarRefuses() {
        DiarizeRequest request = DiarizeRequest.newBuilder().setContent(ByteString.copyFrom(wav))
                .setConfig(DiarizationConfig.newBuilder().setStreamId("anonymous")).build();
        assertThatThrownBy(() -> stub(tokenlessCaller).diarize(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("no service token presented");
                });
    }

    @Test
    void streamsThroughTheRelayWithFlushAndFinalTurns() throws Exception {
        List<StreamingDiarizeRequest> requests = new ArrayList<>();
        requests.add(StreamingDiarizeRequest.newBuilder().setConfig(DiarizationConfig.newBuilder().setStreamId("m-1/room/1")
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16000)))
                .build());
        int flushAt = 3 * 32000; // in the silence between the sentences
        for (int i = 0; i < pcm.length; i += 3200) {
            if (i == flushAt) {
                requests.add(StreamingDiarizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("f-3s")).build());
            }
            requests.add(StreamingDiarizeRequest.newBuilder()
                    .setAudio(ByteString.copyFrom(pcm, i, Math.min(3200, pcm.length - i))).build());
        }
        List<StreamingDiarizeResponse> responses = stream(requests).get(DEADLINE_S, TimeUnit.SECONDS);

        assertThat(responses.get(0).getResponseCase()).isEqualTo(StreamingDiarizeResponse.ResponseCase.STARTED);
        assertThat(responses.get(0).getStarted().getEngine().getName()).isEqualTo("pyannote-standin");
        assertThat(responses).allMatch(r -> r.getStreamId().equals("m-1/room/1"));
        StreamingDiarizeResponse done = responses.stream().filter(StreamingDiarizeResponse::hasFlushDone).findFirst().orElseThrow();
        assertThat(done.getFlushDone().getId()).isEqualTo("f-3s");
        assertThat(seconds(done.getFlushDone().getOffset())).isCloseTo(3.0, within(1e-6));

        Map<String, SpeakerTurn> latest = new LinkedHashMap<>();
        responses.stream().filter(StreamingDiarizeResponse::hasTurns)
                .flatMap(r -> r.getTurns().getTurnsList().stream())
                .forEach(t -> latest.merge(t.getTurnId(), t, (a, b) -> b.getRevision() >= a.getRevision() ? b : a));
        List<SpeakerTurn> turns = latest.values().stream().filter(t -> !t.getWithdrawn()).toList();
        assertThat(turns).allMatch(SpeakerTurn::getIsFinal);
        assertThat(turns).extracting(t -> String.format("%.2f-%.2f %s", seconds(t.getStartOffset()), seconds(t.getEndOffset()),
                t.getSpeakerLabel())).containsExactly("0.25-2.80 spk_0", "4.75-7.35 spk_1");
        assertThat(seconds(responses.get(responses.size() - 1).getAudioProcessed())).isCloseTo(pcm.length / 32000.0, within(1e-6));
    }

    @Test
    void aStreamWithABadFormatFailsWithTheSidecarsSentence() {
        List<StreamingDiarizeRequest> requests = List.of(StreamingDiarizeRequest.newBuilder().setConfig(DiarizationConfig.newBuilder()
                .setStreamId("8k").setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(8000))).build());
        assertThatThrownBy(() -> stream(requests).get(DEADLINE_S, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StatusRuntimeException.class)
                .cause().satisfies(e -> {
                    Status s = ((StatusRuntimeException) e).getStatus();
                    assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(s.getDescription()).endsWith("only LINEAR16 16000 Hz mono is");
                });
    }

    @Test
    void overTlsAsModelsRemoteTlsConnects() throws Exception {
        // A certificate for 127.0.0.1 made by openssl (Debian's; postgresql's ssl-cert depends on it).
        Path cert = dir.resolve("sidecar-cert.pem");
        Path key = dir.resolve("sidecar-key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        String made = new String(openssl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0).as("openssl: %s", made).isTrue();

        try (PyannoteSidecar tls = new PyannoteSidecar(dir.resolve("stubs"), Map.of("STENO_PYANNOTE_STANDIN", "1",
                "STENO_PYANNOTE_TOKEN", TOKEN, "STENO_PYANNOTE_TLS_CERT", cert.toString(), "STENO_PYANNOTE_TLS_KEY", key.toString()));
             RemoteSpeechClient trusting = new RemoteSpeechClient(RemoteEngineSettings.plaintext(tls.address).withTls(cert),
                     ServiceToken.of(TOKEN));
             RemoteSpeechClient plaintext = new RemoteSpeechClient(RemoteEngineSettings.plaintext(tls.address)
                     .withCallDeadline(java.time.Duration.ofSeconds(10)), ServiceToken.of(TOKEN))) {
            Server tlsProxy = RemoteTestKit.startServer(0, new RemoteDiarizerService(trusting));
            Server plainProxy = RemoteTestKit.startServer(0, new RemoteDiarizerService(plaintext));
            ManagedChannel toTls = RemoteTestKit.plaintextChannel(tlsProxy);
            ManagedChannel toPlain = RemoteTestKit.plaintextChannel(plainProxy);
            try {
                DiarizeRequest request = DiarizeRequest.newBuilder().setContent(ByteString.copyFrom(wav))
                        .setConfig(DiarizationConfig.newBuilder().setStreamId("tls")).build();
                assertThat(stub(toTls).diarize(request).getTurnsCount()).isEqualTo(2);
                assertThatThrownBy(() -> stub(toPlain).diarize(request))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                RemoteTestKit.stop(toTls);
                RemoteTestKit.stop(toPlain);
                RemoteTestKit.stop(tlsProxy);
                RemoteTestKit.stop(plainProxy);
            }
            assertThat(tls.stop()).contains("; TLS").doesNotContain(TOKEN);
        }
    }

    /** The caller's side of one StreamingDiarize call through the relay, with a deadline. */
    static CompletableFuture<List<StreamingDiarizeResponse>> stream(List<StreamingDiarizeRequest> requests) {
        CompletableFuture<List<StreamingDiarizeResponse>> result = new CompletableFuture<>();
        List<StreamingDiarizeResponse> got = new ArrayList<>();
        StreamObserver<StreamingDiarizeRequest> out = DiarizerGrpc.newStub(caller).withDeadlineAfter(DEADLINE_S, TimeUnit.SECONDS)
                .streamingDiarize(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingDiarizeResponse value) {
                        got.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        result.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        result.complete(got);
                    }
                });
        requests.forEach(out::onNext);
        out.onCompleted();
        return result;
    }
}
