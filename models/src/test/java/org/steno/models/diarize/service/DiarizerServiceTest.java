package org.steno.models.diarize.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steno.models.diarize.DerScorer;
import org.steno.models.diarize.Pcm;
import org.steno.models.diarize.Rttm;
import org.steno.models.diarize.bench.MeetingBuilder;
import org.steno.models.diarize.bench.Voice;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.DiarizationConfig;
import org.steno.proto.speech.v1.DiarizeRequest;
import org.steno.proto.speech.v1.DiarizeResponse;
import org.steno.proto.speech.v1.DiarizerGrpc;
import org.steno.proto.speech.v1.Flush;
import org.steno.proto.speech.v1.SpeakerTurn;
import org.steno.proto.speech.v1.StreamingDiarizeRequest;
import org.steno.proto.speech.v1.StreamingDiarizeResponse;

/** The Diarizer service through a real netty socket on a free port. */
class DiarizerServiceTest {

    @TempDir
    static Path dir;
    static MeetingBuilder.Meeting meeting;
    static DiarizerService service;
    static Server server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws IOException {
        meeting = new MeetingBuilder(dir).conversation("svc", Voice.STANDARD.subList(0, 2), 8, 0.1, 7);
        service = new DiarizerService();
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static DiarizationConfig config(String id) {
        return DiarizationConfig.newBuilder().setStreamId(id)
                .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16000).setChannels(1))
                .build();
    }

    private static StreamingDiarizeRequest configRequest(DiarizationConfig c) {
        return StreamingDiarizeRequest.newBuilder().setConfig(c).build();
    }

    private static StreamingDiarizeRequest audio(byte[] bytes) {
        return StreamingDiarizeRequest.newBuilder().setAudio(ByteString.copyFrom(bytes)).build();
    }

    /** Collects a response stream. */
    static final class Collector implements StreamObserver<StreamingDiarizeResponse> {
        final List<StreamingDiarizeResponse> responses = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable error;

        @Override
        public void onNext(StreamingDiarizeResponse r) {
            responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        @Override
        public void onCompleted() {
            done.countDown();
        }

        Status status() throws InterruptedException {
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            return error == null ? Status.OK : Status.fromThrowable(error);
        }
    }

    @Test
    void streamsTurnsAndEchoesFlushOnceEverythingBeforeIsFinal() throws Exception {
        Collector c = new Collector();
        StreamObserver<StreamingDiarizeRequest> requests = DiarizerGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS).streamingDiarize(c);
        requests.onNext(configRequest(config("m1/mix/1")));
        byte[] pcm = Pcm.toS16le(meeting.samples());
        int half = (pcm.length / 2) & ~1;
        for (int i = 0; i < half; i += 3200) {
            requests.onNext(audio(java.util.Arrays.copyOfRange(pcm, i, Math.min(half, i + 3200))));
        }
        requests.onNext(StreamingDiarizeRequest.newBuilder().setFlush(Flush.newBuilder().setId("f1")).build());
        for (int i = half; i < pcm.length; i += 3200) {
            requests.onNext(audio(java.util.Arrays.copyOfRange(pcm, i, Math.min(pcm.length, i + 3200))));
        }
        requests.onCompleted();
        assertThat(c.status().getCode()).isEqualTo(Status.Code.OK);

        List<StreamingDiarizeResponse> rs = c.responses;
        assertThat(rs.get(0).hasStarted()).isTrue();
        assertThat(rs).allSatisfy(r -> assertThat(r.getStreamId()).isEqualTo("m1/mix/1"));
        int flushAt = -1;
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).hasFlushDone()) {
                assertThat(flushAt).as("one FlushDone").isEqualTo(-1);
                flushAt = i;
            }
        }
        assertThat(flushAt).isPositive();
        double flushOffset = rs.get(flushAt).getFlushDone().getOffset().getSeconds() + rs.get(flushAt).getFlushDone().getOffset().getNanos() / 1e9;
        assertThat(flushOffset).isCloseTo(half / 32000.0, org.assertj.core.api.Assertions.within(0.001));
        // Provisional turns arrived before the flush, i.e. while audio was streaming.
        assertThat(rs.subList(0, flushAt)).anySatisfy(r -> assertThat(r.getTurns().getTurnsList()).anySatisfy(t -> assertThat(t.getIsFinal()).isFalse()));
        // Latest revision of every turn, and the state at the flush.
        java.util.Map<String, SpeakerTurn> latest = new java.util.HashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            for (SpeakerTurn t : rs.get(i).getTurns().getTurnsList()) {
                SpeakerTurn previous = latest.get(t.getTurnId());
                assertThat(t.getRevision()).isEqualTo(previous == null ? 0 : previous.getRevision() + 1);
                if (previous != null) {
                    assertThat(previous.getIsFinal()).as("no revision after final").isFalse();
                }
                latest.put(t.getTurnId(), t);
            }
            if (i == flushAt) {
                for (SpeakerTurn t : latest.values()) {
                    double start = t.getStartOffset().getSeconds() + t.getStartOffset().getNanos() / 1e9;
                    if (start < flushOffset) {
                        assertThat(t.getIsFinal()).as("turn " + t.getTurnId() + " before the flush is final").isTrue();
                    }
                }
            }
        }
        assertThat(latest.values()).allSatisfy(t -> assertThat(t.getIsFinal()).isTrue());
        List<Rttm.Segment> hyp = latest.values().stream().filter(t -> !t.getWithdrawn())
                .map(t -> new Rttm.Segment(t.getSpeakerLabel(), t.getStartOffset().getSeconds() + t.getStartOffset().getNanos() / 1e9,
                        t.getEndOffset().getSeconds() + t.getEndOffset().getNanos() / 1e9))
                .toList();
        assertThat(new DerScorer().score(meeting.reference(), hyp).der()).isLessThan(0.08);
        assertThat(service.activeSessions()).isZero();
    }

    @Test
    void wholeFileDiarize() {
        byte[] pcm = Pcm.toS16le(meeting.samples());
        DiarizeResponse r = DiarizerGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .diarize(DiarizeRequest.newBuilder().setConfig(config("file-1")).setContent(ByteString.copyFrom(pcm)).build());
        assertThat(r.getStreamId()).isEqualTo("file-1");
        assertThat(r.getSpeakersCount()).isEqualTo(2);
        assertThat(r.getTurnsList()).allSatisfy(t -> assertThat(t.getIsFinal()).isTrue());
        List<Rttm.Segment> hyp = r.getTurnsList().stream()
                .map(t -> new Rttm.Segment(t.getSpeakerLabel(), t.getStartOffset().getSeconds() + t.getStartOffset().getNanos() / 1e9,
                        t.getEndOffset().getSeconds() + t.getEndOffset().getNanos() / 1e9))
                .toList();
        assertThat(new DerScorer().score(meeting.reference(), hyp).der()).isLessThan(0.05);
    }

    private static Status streamStatus(StreamingDiarizeRequest... requests) throws InterruptedException {
        Collector c = new Collector();
        StreamObserver<StreamingDiarizeRequest> out = DiarizerGrpc.newStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).streamingDiarize(c);
        for (StreamingDiarizeRequest r : requests) {
            out.onNext(r);
        }
        out.onCompleted();
        return c.status();
    }

    @Test
    void badInputGetsInvalidArgumentWithActionableMessages() throws Exception {
        Status before = streamStatus(audio(new byte[3200]));
        assertThat(before.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(before.getDescription()).contains("before the config");

        DiarizationConfig rate = config("x").toBuilder().setAudioFormat(AudioFormat.newBuilder()
                .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(44100)).build();
        Status wrongRate = streamStatus(configRequest(rate));
        assertThat(wrongRate.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(wrongRate.getDescription()).contains("44100").contains("only LINEAR16 16000 Hz mono");

        DiarizationConfig opus = config("x").toBuilder().setAudioFormat(AudioFormat.newBuilder()
                .setEncoding(AudioEncoding.AUDIO_ENCODING_OGG_OPUS)).build();
        assertThat(streamStatus(configRequest(opus)).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        Status big = streamStatus(configRequest(config("x")), audio(new byte[48000]));
        assertThat(big.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(big.getDescription()).contains("48000").contains("32000");

        Status twice = streamStatus(configRequest(config("x")), configRequest(config("x")));
        assertThat(twice.getDescription()).contains("already sent");

        Status counts = streamStatus(configRequest(config("x").toBuilder().setSpeakerCount(
                org.steno.proto.speech.v1.SpeakerCountHint.newBuilder().setMinSpeakers(4).setMaxSpeakers(2)).build()));
        assertThat(counts.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(counts.getDescription()).contains("min_speakers 4");

        assertThat(streamStatus(configRequest(config(""))).getDescription()).contains("stream_id");

        StatusRuntimeException garbage = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> DiarizerGrpc.newBlockingStub(channel).diarize(DiarizeRequest.newBuilder()
                        .setConfig(config("f").toBuilder().setAudioFormat(AudioFormat.getDefaultInstance()))
                        .setContent(ByteString.copyFromUtf8("this is not audio")).build()),
                StatusRuntimeException.class);
        assertThat(garbage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // The server is still serving after all of that.
        assertThat(streamStatus(configRequest(config("ok"))).getCode()).isEqualTo(Status.Code.OK);
        assertThat(service.activeSessions()).isZero();
    }

    @Test
    void audioFasterThanRealTimeIsBackPressuredNotDropped() throws Exception {
        byte[] once = Pcm.toS16le(meeting.samples());
        int repeats = 2;
        long total = (long) once.length * repeats;
        Collector c = new Collector();
        java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicInteger pauses = new java.util.concurrent.atomic.AtomicInteger();
        io.grpc.stub.ClientResponseObserver<StreamingDiarizeRequest, StreamingDiarizeResponse> observer =
                new io.grpc.stub.ClientResponseObserver<>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingDiarizeRequest> out) {
                        boolean[] configured = {false};
                        out.setOnReadyHandler(() -> {
                            if (!configured[0]) {
                                configured[0] = true;
                                out.onNext(configRequest(config("fast")));
                            }
                            // Send as fast as the transport accepts; stop when it says "not ready".
                            while (out.isReady() && sent.get() < total) {
                                int at = (int) (sent.get() % once.length);
                                int n = Math.min(3200, once.length - at);
                                out.onNext(audio(java.util.Arrays.copyOfRange(once, at, at + n)));
                                sent.addAndGet(n);
                            }
                            if (sent.get() < total) {
                                pauses.incrementAndGet();
                            } else if (configured[0] && sent.get() == total) {
                                sent.incrementAndGet();
                                out.onCompleted();
                            }
                        });
                    }

                    @Override
                    public void onNext(StreamingDiarizeResponse r) {
                        c.onNext(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        c.onError(t);
                    }

                    @Override
                    public void onCompleted() {
                        c.onCompleted();
                    }
                };
        DiarizerGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS).streamingDiarize(observer);
        assertThat(c.status().getCode()).isEqualTo(Status.Code.OK);
        // The sender was held back at least once, and every byte was processed.
        assertThat(pauses.get()).isPositive();
        StreamingDiarizeResponse last = c.responses.get(c.responses.size() - 1);
        double processed = last.getAudioProcessed().getSeconds() + last.getAudioProcessed().getNanos() / 1e9;
        assertThat(processed).isCloseTo(total / 32000.0, org.assertj.core.api.Assertions.within(0.001));
    }

    @Test
    void cancelledStreamsReleaseTheirSessions() throws Exception {
        for (int i = 0; i < 200; i++) {
            Collector c = new Collector();
            ClientCallStreamObserver<StreamingDiarizeRequest> out = (ClientCallStreamObserver<StreamingDiarizeRequest>)
                    DiarizerGrpc.newStub(channel).streamingDiarize(c);
            out.onNext(configRequest(config("c" + i)));
            out.onNext(audio(new byte[3200]));
            out.cancel("client went away", null);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (service.activeSessions() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(service.activeSessions()).isZero();
    }
}
