package org.steno.models.transcriber;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.steno.models.TestAudio;
import org.steno.models.asr.DecoderPool;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/** Clients that vanish free their decoders; a client faster than real time is throttled. */
class TranscriberLifecycleTest {

    static final int MAX_DECODERS = 3;
    static EmbeddedTranscriber engine;
    static Server server;
    static ManagedChannel channel;
    static TranscriberGrpc.TranscriberStub stub;

    @BeforeAll
    static void start() throws Exception {
        engine = new EmbeddedTranscriber(TranscriberSettings.defaults().withMaxDecoders(MAX_DECODERS).withAcquireTimeoutMs(30_000));
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                // A small window makes flow control visible with a few seconds of audio.
                .flowControlWindow(64 * 1024)
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

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    static void awaitQuiet(DecoderPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!quiet(pool.stats()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    static boolean quiet(DecoderPool.Stats st) {
        return st.inUse() == 0 && st.waiting() == 0 && st.building() == 0;
    }

    @Test
    void openingAndCancellingManyStreamsReleasesEveryDecoder() throws Exception {
        DecoderPool pool = engine.pool();
        byte[] halfSecond = java.util.Arrays.copyOf(TestAudio.pcm(TestAudio.LONG_SENTENCE), 16_000);
        // Warm-up round so class loading and netty buffers do not count as growth.
        cancelRound(20, halfSecond, 2);
        awaitQuiet(pool);
        long heapBefore = usedHeapAfterGc();
        long freedBefore = pool.freed();

        int streams = 1000;
        int withAudio = cancelRound(streams, halfSecond, 25);
        awaitQuiet(pool);

        DecoderPool.Stats st = pool.stats();
        assertThat(st.inUse()).as("decoders lent out").isZero();
        assertThat(st.waiting()).as("streams waiting").isZero();
        assertThat(st.live()).as("native decoders alive").isLessThanOrEqualTo(MAX_DECODERS);
        assertThat(st.created() - st.freed()).as("created minus freed = alive").isEqualTo(st.live());
        // A decoder that decoded audio is freed, never reused: at most MAX_DECODERS of the
        // streams with audio can have been refused before they got one.
        assertThat(st.freed() - freedBefore).isGreaterThan(0).isLessThanOrEqualTo(withAudio);
        long heapAfter = usedHeapAfterGc();
        assertThat(heapAfter - heapBefore).as("heap growth after %d streams", streams).isLessThan(32L * 1024 * 1024);

        // And the service still works.
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("after"));
        s.sendAudio(TestAudio.pcm(TestAudio.SHORT_SENTENCE), 3200);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
    }

    /** Opens {@code n} streams, sends audio on every {@code audioEvery}-th, cancels them all; returns how many had audio. */
    static int cancelRound(int n, byte[] audio, int audioEvery) throws Exception {
        List<RecognizeStream> open = new ArrayList<>();
        int withAudio = 0;
        for (int i = 0; i < n; i++) {
            RecognizeStream s = RecognizeStream.open(stub);
            s.send(RecognizeStream.config("cancel-" + i));
            if (i % audioEvery == 0) {
                s.sendAudio(audio, 3200);
                withAudio++;
            }
            open.add(s);
            // Cancel in batches so some streams hold a decoder, some wait for one, some have not started.
            if (open.size() == 40) {
                cancelAll(open);
            }
        }
        cancelAll(open);
        return withAudio;
    }

    static void cancelAll(List<RecognizeStream> open) throws Exception {
        for (RecognizeStream s : open) {
            s.cancel();
        }
        for (RecognizeStream s : open) {
            assertThat(s.await().getCode()).isEqualTo(Status.Code.CANCELLED);
        }
        open.clear();
    }

    @Test
    void aClientFasterThanRealTimeIsThrottledByFlowControl() throws Exception {
        byte[] one = TestAudio.pcm(TestAudio.LONG_SENTENCE);
        byte[] pcm = new byte[one.length * 2];
        System.arraycopy(one, 0, pcm, 0, one.length);
        System.arraycopy(one, 0, pcm, one.length, one.length);
        double total = pcm.length / 2 / 16000.0;
        RecognizeStream s = RecognizeStream.open(stub);
        s.send(RecognizeStream.config("fast"));
        s.sendAudio(pcm, 3200);
        // The client could only hand over the last chunk once the server had decoded most of
        // the audio: it reads no faster than it decodes, so the sender was held back.
        double processedWhenSent = s.snapshot().stream().filter(StreamingRecognizeResponse::hasAudioProcessed)
                .mapToDouble(r -> TranscriberServiceTest.seconds(r.getAudioProcessed())).max().orElse(0);
        s.halfClose();
        assertThat(s.await().getCode()).isEqualTo(Status.Code.OK);
        assertThat(processedWhenSent).as("audio decoded when the sender finished (of %.1f s)", total)
                .isGreaterThan(total - 64 * 1024 / 32000.0 - 1.5);
    }
}
