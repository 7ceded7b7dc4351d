package org.steno.models.kyutai;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.steno.models.kyutai.standin.MoshiStandIn;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * The adapter between a stand-in moshi-server and a real gRPC server and channel on loopback, plus
 * audio whose "words" the stand-in hears: tone bursts of {@value #WORD_MS} ms with {@value #GAP_MS} ms
 * of silence between them.
 */
final class KyutaiTestKit implements AutoCloseable {

    static final int WORD_MS = 400;
    static final int GAP_MS = 240;
    static final String KEY = "public_token";

    final MoshiStandIn standIn;
    final KyutaiEngine engine;
    final Server grpc;
    final ManagedChannel channel;
    final TranscriberGrpc.TranscriberStub stub;

    KyutaiTestKit(MoshiStandIn.Options options) throws Exception {
        this(options, s -> s);
    }

    KyutaiTestKit(MoshiStandIn.Options options, java.util.function.UnaryOperator<KyutaiSettings> tune) throws Exception {
        standIn = new MoshiStandIn(options);
        engine = new KyutaiEngine(tune.apply(settings(standIn.url())));
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new KyutaiTranscriberService(engine)).build().start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
        stub = TranscriberGrpc.newStub(channel);
    }

    static KyutaiSettings settings(URI url) {
        return KyutaiSettings.of(url, KEY).withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    static MoshiStandIn.Options options(String text) {
        return MoshiStandIn.Options.defaults(List.of(text.split(" ")));
    }

    /** 16 kHz LINEAR16: {@code leadMs} of silence, then one burst per word; burst starts in {@code startsMs}. */
    static byte[] words(int count, int leadMs, List<Long> startsMs) {
        int rate = 16_000;
        int total = (leadMs + count * (WORD_MS + GAP_MS)) * rate / 1000;
        short[] s = new short[total];
        for (int w = 0; w < count; w++) {
            long startMs = leadMs + (long) w * (WORD_MS + GAP_MS);
            startsMs.add(startMs);
            int from = (int) (startMs * rate / 1000);
            int n = WORD_MS * rate / 1000;
            for (int i = 0; i < n; i++) {
                double t = i / (double) rate;
                // A vowel-like tone: 200 Hz with two harmonics, well inside the 16 kHz band.
                double v = 0.2 * Math.sin(2 * Math.PI * 200 * t) + 0.08 * Math.sin(2 * Math.PI * 400 * t)
                        + 0.04 * Math.sin(2 * Math.PI * 800 * t);
                s[from + i] = (short) Math.round(v * 32767);
            }
        }
        return bytes(s);
    }

    static byte[] silence(int ms) {
        return new byte[ms * 32];
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static byte[] bytes(short[] s) {
        byte[] b = new byte[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            b[2 * i] = (byte) s[i];
            b[2 * i + 1] = (byte) (s[i] >> 8);
        }
        return b;
    }

    /** Waits for a condition, failing with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    static List<StreamingRecognizeResponse> finals(List<StreamingRecognizeResponse> rs) {
        List<StreamingRecognizeResponse> out = new ArrayList<>();
        for (StreamingRecognizeResponse r : rs) {
            if (r.hasResults() && r.getResults().getResults(0).getIsFinal()) {
                out.add(r);
            }
        }
        return out;
    }

    static boolean hasFlushDone(List<StreamingRecognizeResponse> rs, String id) {
        return rs.stream().anyMatch(r -> r.hasFlushDone() && r.getFlushDone().getId().equals(id));
    }

    static long ms(com.google.protobuf.Duration d) {
        return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }

    @Override
    public void close() throws Exception {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        grpc.shutdownNow();
        grpc.awaitTermination(5, TimeUnit.SECONDS);
        engine.close();
        standIn.close();
    }
}
