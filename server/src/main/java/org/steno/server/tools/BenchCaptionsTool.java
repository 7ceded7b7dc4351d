package org.steno.server.tools;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.steno.access.Access;
import org.steno.conference.meeting.EndReason;
import org.steno.conference.meeting.Meeting;
import org.steno.proto.captions.v1.CaptionEvent;
import org.steno.proto.captions.v1.CaptionKind;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;
import org.steno.server.config.ConfigLoader;
import org.steno.server.roles.Role;
import org.steno.server.roles.StenoProcess;

/**
 * {@code steno bench captions [--speakers N]}: caption latency with the embedded engine
 * (pocketsphinx), end to end, against the engine alone in the same run.
 *
 * <p>Baseline: N librivox files streamed at once in real time straight to the Transcriber, fed
 * like steno replay feeds a meeting (100 ms chunks, 60 ms ahead of the clock); latency of a
 * result = its arrival − the instant the end of the audio it covers was due. Both paths get
 * their audio 60–160 ms before it is "spoken", so both figures are that much lower than with
 * a live microphone; compare the rows. Through Steno: {@code steno up} on free ports, a meeting with captions on, N
 * speakers replayed in real time through MediaIngest, captions received on the meeting's
 * WebSocket; latency = the meeting clock at arrival − the caption's media end.
 * The difference is what Steno adds around the model: ingest, MediaTap, the Flink job,
 * CaptionIngest, the fan-out.
 */
public final class BenchCaptionsTool {

    private static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");
    private static final String[] FILES = {"0870", "0880", "0890", "0920", "0930"};
    /** steno replay's chunks (100 ms) and how far ahead of the meeting clock MediaIngest takes them. */
    private static final int CHUNK_BYTES = 3200;
    private static final long INGEST_LEAD_MS = 60;

    private BenchCaptionsTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int speakers = 2;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--speakers") && i + 1 < args.length) {
                try {
                    speakers = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    speakers = -1;
                }
                if (speakers < 1 || speakers > FILES.length) {
                    err.println("steno bench captions: --speakers takes 1–" + FILES.length);
                    return 2;
                }
            } else {
                err.println("steno bench captions: unknown argument '" + args[i] + "'; usage: steno bench captions [--speakers N]");
                return 2;
            }
        }
        if (!Files.isDirectory(LIBRIVOX)) {
            err.println("steno bench captions: needs " + LIBRIVOX + " (apt-get install pocketsphinx-testdata)");
            return 2;
        }
        try {
            return bench(speakers, out);
        } catch (Exception e) {
            err.println("steno bench captions: " + e);
            return 1;
        }
    }

    private static int bench(int speakers, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("steno-bench-captions");
        Map<String, String> env = ConfigLoader.ephemeralEnv(dir);
        out.printf(Locale.ROOT, "machine: %d cores, Java %s; embedded pocketsphinx; %d speaker(s) in real time%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), speakers);
        try (StenoProcess steno = new StenoProcess(Role.UP, ConfigLoader.load(null, env), new org.steno.server.access.StenoPolicy())) {
            steno.start();
            // Warm-up (the Flink job starts with the first meeting with captions on; JIT): not counted.
            throughSteno(steno, 1);
            // The model alone with the same number of streams at once: the same load on the decoders.
            Latencies model = new Latencies(null);
            List<Thread> streams = new ArrayList<>();
            List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
            for (int s = 0; s < speakers; s++) {
                byte[] pcm = wav(FILES[s]);
                Thread th = new Thread(() -> {
                    try {
                        direct(steno.grpcPort(), steno.serviceToken(), pcm, model);
                    } catch (Exception e) {
                        failures.add(e);
                    }
                }, "bench-direct-" + s);
                th.start();
                streams.add(th);
            }
            for (Thread th : streams) {
                th.join();
            }
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            Latencies captions = throughSteno(steno, speakers);

            out.println("path                                            results  p50 ms  p95 ms  p99 ms");
            row(out, "model alone: interims", model.interims);
            row(out, "model alone: finals", model.finals);
            row(out, "Steno: interims, leaving the Flink job", captions.interimsProduced);
            row(out, "Steno: interims, on the caption WebSocket", captions.interims);
            row(out, "Steno: finals, on the caption WebSocket", captions.finals);
            out.printf(Locale.ROOT, "Steno adds to the model's interims: %d ms p50, %d ms p95%n",
                    pct(captions.interims, 50) - pct(model.interims, 50), pct(captions.interims, 95) - pct(model.interims, 95));
        }
        return 0;
    }

    /** A meeting with captions on, N speakers replayed in real time, captions timed on its WebSocket. */
    private static Latencies throughSteno(StenoProcess steno, int speakers) throws Exception {
        Meeting meeting = steno.conference().registry().create("Caption latency");
        meeting.setCaptions(true, "en-US");
        long deadline = System.currentTimeMillis() + 120_000;
        // The embedded Flink job starts when a meeting first turns captions on.
        while (!String.valueOf(steno.readiness().get("pipeline")).contains("RUNNING")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(1500); // the job's discovery round picks the meeting up
        Latencies captions = new Latencies(meeting);
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + steno.httpPort() + "/ws/meetings/" + meeting.id() + "/captions"),
                        captions)
                .get(10, TimeUnit.SECONDS);
        List<String> replay = new ArrayList<>(List.of("--meeting", meeting.id(), "--realtime", "--server",
                "127.0.0.1:" + steno.grpcPort(), "--token-file", steno.config().dataDir().resolve("service-token").toString()));
        for (int s = 0; s < speakers; s++) {
            replay.addAll(List.of("--speaker", "Speaker " + (s + 1) + "=" + LIBRIVOX.resolve(
                    "sense_and_sensibility_01_austen_64kb-" + FILES[s] + ".wav")));
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        if (ReplayTool.run(replay.toArray(new String[0]), new PrintStream(log), new PrintStream(log)) != 0) {
            throw new IllegalStateException("replay failed: " + log);
        }
        Thread.sleep(5000); // the last finals: 600 ms of silence ends a segment, then the model's flush
        steno.conference().registry().end(meeting.id(), EndReason.ENDED_BY_HOST);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        return captions;
    }

    /** Arrival − due time of the end of each result's audio, streaming one file in real time straight to the Transcriber. */
    private static void direct(int grpcPort, org.steno.access.ServiceToken token, byte[] pcm, Latencies latencies) throws Exception {
        ManagedChannel channel = token.applyTo(NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext()).build();
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] t0 = new long[1];
        StreamObserver<StreamingRecognizeRequest> req = TranscriberGrpc.newStub(channel)
                .withDeadlineAfter(120, TimeUnit.SECONDS).streamingRecognize(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingRecognizeResponse r) {
                        long now = System.nanoTime();
                        for (SpeechRecognitionResult res : r.getResults().getResultsList()) {
                            if (res.getAlternativesCount() > 0 && !res.getAlternatives(0).getTranscript().isBlank()) {
                                (res.getIsFinal() ? latencies.finals : latencies.interims)
                                        .add((now - t0[0]) / 1_000_000 - Durations.toMillis(res.getEndOffset()));
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(null);
                    }
                });
        req.onNext(StreamingRecognizeRequest.newBuilder().setConfig(StreamingRecognitionConfig.newBuilder()
                .setStreamId("bench").setInterimResults(true).setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US")
                        .setWordTimeOffsets(true).setAudioFormat(org.steno.proto.common.v1.AudioFormat.newBuilder()
                                .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16000).setChannels(1))))
                .build());
        t0[0] = System.nanoTime();
        // Fed the way steno replay feeds a meeting: 100 ms chunks, each sent 60 ms before its
        // audio starts on the clock (MediaIngest's real-time lead), so both paths see the same input.
        for (int off = 0; off < pcm.length; off += CHUNK_BYTES) {
            long due = t0[0] + ((off / 32) - INGEST_LEAD_MS) * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            req.onNext(StreamingRecognizeRequest.newBuilder()
                    .setAudio(ByteString.copyFrom(pcm, off, Math.min(CHUNK_BYTES, pcm.length - off))).build());
        }
        req.onCompleted();
        done.get(60, TimeUnit.SECONDS);
        channel.shutdownNow();
    }

    private static byte[] wav(String n) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(
                LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-" + n + ".wav").toFile())) {
            AudioFormat f = in.getFormat();
            if (f.getSampleRate() != 16000 || f.getChannels() != 1 || f.getSampleSizeInBits() != 16) {
                throw new IllegalStateException("expected 16 kHz mono 16-bit, got " + f);
            }
            return in.readAllBytes();
        }
    }

    /** Latencies of interims and finals; as a WebSocket listener, of captions on the meeting clock. */
    private static final class Latencies implements WebSocket.Listener {
        final List<Long> interims = Collections.synchronizedList(new ArrayList<>());
        final List<Long> finals = Collections.synchronizedList(new ArrayList<>());
        /** Interims by the time the assembler produced them (wall clock: produced_time − media end). */
        final List<Long> interimsProduced = Collections.synchronizedList(new ArrayList<>());
        private final Meeting meeting;
        private final StringBuilder part = new StringBuilder();

        Latencies(Meeting meeting) {
            this.meeting = meeting;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = meeting.mediaTime().toMillis();
            part.append(data);
            if (last) {
                CaptionEvent.Builder c = CaptionEvent.newBuilder();
                try {
                    JsonFormat.parser().ignoringUnknownFields().merge(part.toString(), c);
                    if (!c.getText().isBlank() && c.hasMediaEnd()) {
                        long lag = now - Durations.toMillis(c.getMediaEnd());
                        (c.getKind() == CaptionKind.CAPTION_KIND_FINAL ? finals : interims).add(lag);
                        if (c.getKind() == CaptionKind.CAPTION_KIND_INTERIM && c.hasProducedTime()) {
                            interimsProduced.add(com.google.protobuf.util.Timestamps.toMillis(c.getProducedTime())
                                    - meeting.createdAt().toEpochMilli() - Durations.toMillis(c.getMediaEnd()));
                        }
                    }
                } catch (Exception ignored) {
                    // not a caption (a control message)
                }
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private static void row(PrintStream out, String name, List<Long> values) {
        out.printf(Locale.ROOT, "%-46s %7d  %6d  %6d  %6d%n", name, values.size(), pct(values, 50), pct(values, 95), pct(values, 99));
    }

    static long pct(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
