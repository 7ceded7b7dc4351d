package org.steno.server.tools;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.steno.models.asr.AsrModelPaths;
import org.steno.models.asr.EngineStatus;
import org.steno.models.asr.PocketSphinx;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.SphinxDecoder;
import org.steno.models.asr.WholeAudioRecognizer;
import org.steno.models.audio.MediaAudioDecoder;
import org.steno.models.transcriber.EmbeddedTranscriber;
import org.steno.models.transcriber.TranscriberService;
import org.steno.models.transcriber.TranscriberSettings;
import org.steno.models.vad.EnergyVad;
import org.steno.models.vad.LabelledSpeech;
import org.steno.models.vad.VadScore;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.common.v1.AudioFormat;
import org.steno.proto.speech.v1.RecognitionConfig;
import org.steno.proto.speech.v1.SpeechRecognitionResult;
import org.steno.proto.speech.v1.StreamingRecognitionConfig;
import org.steno.proto.speech.v1.StreamingRecognizeRequest;
import org.steno.proto.speech.v1.StreamingRecognizeResponse;
import org.steno.proto.speech.v1.TranscriberGrpc;

/**
 * {@code steno bench speech [--data DIR] [--keep DIR]}: word error rate (NIST sclite rules,
 * {@code sctk sclite}) of the streaming gRPC path over a real socket next to
 * {@code pocketsphinx_continuous -infile} on the same files (pocketsphinx-testdata's librivox
 * set), recognition real-time factor on one core, peak memory, and the frame accuracy of the
 * voice-activity detector on speech with inserted silence and noise of known positions.
 */
public final class BenchSpeechTool {

    static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    private BenchSpeechTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path data = LIBRIVOX;
        Path keep = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--data") && i + 1 < args.length) {
                data = Path.of(args[++i]);
            } else if (args[i].equals("--keep") && i + 1 < args.length) {
                keep = Path.of(args[++i]);
            } else {
                err.println("steno bench speech: unexpected argument '" + args[i] + "'; usage: steno bench speech [--data DIR] [--keep DIR]");
                return 2;
            }
        }
        EngineStatus st = PocketSphinx.status(AsrModelPaths.debianEnUs());
        if (!st.ready()) {
            err.println("steno bench speech: " + st.detail());
            return 2;
        }
        if (!Files.isRegularFile(data.resolve("transcription"))) {
            err.println("steno bench speech: no " + data.resolve("transcription") + "; install pocketsphinx-testdata or pass --data");
            return 2;
        }
        try {
            Path work = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("steno-bench-speech");
            new BenchSpeechTool.Bench(data, work, out, err).run();
            return 0;
        } catch (Exception e) {
            err.println("steno bench speech: " + e.getMessage());
            return 1;
        }
    }

    static final class Bench {
        private final Path data;
        private final Path work;
        private final PrintStream out;
        private final PrintStream err;

        Bench(Path data, Path work, PrintStream out, PrintStream err) {
            this.data = data;
            this.work = work;
            this.out = out;
            this.err = err;
        }

        void run() throws Exception {
            Map<String, String> refs = references(data.resolve("transcription"));
            Map<String, Path> files = new LinkedHashMap<>();
            double audioSeconds = 0;
            for (String id : refs.keySet()) {
                Path f = data.resolve(id + ".wav");
                files.put(id, f);
                audioSeconds += MediaAudioDecoder.decodeAll(f).length / 16_000.0;
            }
            Path ref = writeTrn(work.resolve("ref.trn"), refs);

            err.println("bench: pocketsphinx_continuous baseline …");
            long t0 = System.nanoTime();
            Map<String, String> cli = new LinkedHashMap<>();
            double[] cliCpu = new double[1];
            for (Map.Entry<String, Path> e : files.entrySet()) {
                cli.put(e.getKey(), cliTranscript(e.getValue(), cliCpu));
            }
            double cliWall = (System.nanoTime() - t0) / 1e9;
            double[] cliWer = sclite(ref, writeTrn(work.resolve("cli.trn"), cli));

            err.println("bench: streaming gRPC over a socket …");
            Map<String, String> grpc500;
            Map<String, String> grpc800;
            try (EmbeddedTranscriber engine = new EmbeddedTranscriber(TranscriberSettings.defaults().withMaxDecoders(2))) {
                Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .addService(new TranscriberService(engine)).build().start();
                ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
                try {
                    grpc500 = streamAll(ch, files, 500);
                    grpc800 = streamAll(ch, files, 0);
                } finally {
                    ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                }
            }
            double[] grpcWer = sclite(ref, writeTrn(work.resolve("grpc-eou500.trn"), grpc500));
            double[] grpcDefaultWer = sclite(ref, writeTrn(work.resolve("grpc-eou800.trn"), grpc800));

            err.println("bench: real-time factor on one core …");
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            double decodeSeconds = 0;
            double decodeCpu = 0;
            double initSeconds = 0;
            List<List<RecognitionEvent.Final>> finals = new ArrayList<>();
            long decoderRss = 0;
            for (Path f : files.values()) {
                short[] s = MediaAudioDecoder.decodeAll(f);
                long rssBefore = rss("VmRSS");
                long i0 = System.nanoTime();
                try (SphinxDecoder d = PocketSphinx.newDecoder(AsrModelPaths.debianEnUs())) {
                    initSeconds += (System.nanoTime() - i0) / 1e9;
                    long start = System.nanoTime();
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    finals.add(WholeAudioRecognizer.recognize(d, s, n -> { }));
                    decodeCpu += (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    decodeSeconds += (System.nanoTime() - start) / 1e9;
                    decoderRss = Math.max(decoderRss, rss("VmRSS") - rssBefore);
                }
            }
            double rtf = decodeSeconds / audioSeconds;
            double rtfCpu = decodeCpu / audioSeconds;

            err.println("bench: voice activity detection …");
            List<LabelledSpeech.Clip> clips = new ArrayList<>();
            int i = 0;
            for (Path f : files.values()) {
                short[] s = MediaAudioDecoder.decodeAll(f);
                List<RecognitionEvent.Final> fs = finals.get(i++);
                if (fs.isEmpty() || fs.get(0).words().isEmpty()) {
                    continue;
                }
                var words = fs.stream().flatMap(x -> x.words().stream()).toList();
                clips.add(new LabelledSpeech.Clip(s, (int) (words.get(0).startSeconds() * 16_000),
                        (int) Math.min(s.length, words.get(words.size() - 1).endSeconds() * 16_000)));
            }
            VadScore quiet = VadScore.of(new boolean[0], new boolean[0]);
            VadScore noisy = quiet;
            for (int seed = 0; seed < 4; seed++) {
                LabelledSpeech.Labelled q = LabelledSpeech.build(clips, -60, seed);
                quiet = quiet.plus(VadScore.of(q.speech(), EnergyVad.label(q.samples(), new EnergyVad())));
                LabelledSpeech.Labelled n = LabelledSpeech.build(clips, -35, 100 + seed);
                noisy = noisy.plus(VadScore.of(n.speech(), EnergyVad.label(n.samples(), new EnergyVad())));
            }

            out.printf(Locale.ROOT, "%nsteno bench speech — %d librivox files, %.1f s of audio (%s), %d cores%n%n", files.size(),
                    audioSeconds, data, Runtime.getRuntime().availableProcessors());
            out.println("| system | WER % | sub | del | ins |");
            out.println("| --- | --- | --- | --- | --- |");
            row(out, "pocketsphinx_continuous -infile (baseline)", cliWer);
            row(out, "Steno streaming gRPC, 100 ms chunks, end_of_utterance_silence 500 ms (the CLI's)", grpcWer);
            row(out, "Steno streaming gRPC, 100 ms chunks, service default 800 ms", grpcDefaultWer);
            out.printf(Locale.ROOT, "%nWER difference streaming − CLI: %+.1f points (target: within 1)%n", grpcWer[0] - cliWer[0]);
            out.printf(Locale.ROOT, "Recognition RTF, one decoder on one thread (init excluded): %.3f CPU, %.3f wall (target < 0.5)%n",
                    rtfCpu, rtf);
            out.printf(Locale.ROOT, "pocketsphinx_continuous for comparison (model load included): %.3f CPU, %.3f wall%n",
                    cliCpu[0] / audioSeconds, cliWall / audioSeconds);
            out.printf(Locale.ROOT, "Decoder init (ps_init): %.2f s each%n", initSeconds / files.size());
            out.printf(Locale.ROOT, "Memory: +%.0f MB RSS per decoder (init + decoding); process peak RSS %.0f MB%n",
                    decoderRss / 1024.0, rss("VmHWM") / 1024.0);
            out.println();
            out.println("| VAD (20 ms frames, energy + spectral flatness) | frames | accuracy | precision | recall |");
            out.println("| --- | --- | --- | --- | --- |");
            vadRow(out, "speech + silence gaps (background −60 dBFS)", quiet);
            vadRow(out, "speech + white-noise gaps (background −35 dBFS)", noisy);
            out.println();
            out.println("Files kept in " + work);
        }

        private Map<String, String> streamAll(ManagedChannel ch, Map<String, Path> files, int eouMs) throws Exception {
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Path> e : files.entrySet()) {
                byte[] pcm = toBytes(MediaAudioDecoder.decodeAll(e.getValue()));
                out.put(e.getKey(), stream(ch, e.getKey(), pcm, eouMs));
            }
            return out;
        }

        /** The CLI's text for one file; adds its user+system CPU seconds (bash's time) to {@code cpu[0]}. */
        private static String cliTranscript(Path wav, double[] cpu) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='CPU %3U %3S'; time pocketsphinx_continuous -infile \"$0\" 2>/dev/null",
                    wav.toString()).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String times = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("pocketsphinx_continuous failed on " + wav);
            }
            for (String line : times.split("\n")) {
                if (line.startsWith("CPU ")) {
                    String[] f = line.split(" ");
                    cpu[0] += Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
                }
            }
            return String.join(" ", text.strip().split("\\s+"));
        }
    }

    /** Streams one file through StreamingRecognize as fast as flow control allows; returns the finals joined. */
    static String stream(ManagedChannel ch, String id, byte[] pcm, int eouMs) throws Exception {
        CompletableFuture<Status> done = new CompletableFuture<>();
        List<String> finals = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<ClientCallStreamObserver<StreamingRecognizeRequest>> requests =
                new java.util.concurrent.atomic.AtomicReference<>();
        TranscriberGrpc.newStub(ch).withDeadlineAfter(300, TimeUnit.SECONDS).streamingRecognize(
                new ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse>() {
                    @Override
                    public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> r) {
                        requests.set(r);
                    }

                    @Override
                    public void onNext(StreamingRecognizeResponse r) {
                        if (r.hasResults()) {
                            for (SpeechRecognitionResult x : r.getResults().getResultsList()) {
                                if (x.getIsFinal() && !x.getAlternatives(0).getTranscript().isEmpty()) {
                                    synchronized (finals) {
                                        finals.add(x.getAlternatives(0).getTranscript());
                                    }
                                }
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(Status.OK);
                    }
                });
        StreamingRecognitionConfig.Builder c = StreamingRecognitionConfig.newBuilder().setStreamId(id)
                .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US").setWordTimeOffsets(true)
                        .setAudioFormat(AudioFormat.newBuilder().setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16).setSampleRateHz(16_000)));
        if (eouMs > 0) {
            c.setEndOfUtteranceSilence(com.google.protobuf.Duration.newBuilder().setNanos(eouMs * 1_000_000));
        }
        ClientCallStreamObserver<StreamingRecognizeRequest> req = requests.get();
        req.onNext(StreamingRecognizeRequest.newBuilder().setConfig(c).build());
        for (int off = 0; off < pcm.length && !done.isDone(); off += 3200) {
            while (!req.isReady() && !done.isDone()) {
                Thread.sleep(1);
            }
            req.onNext(StreamingRecognizeRequest.newBuilder().setAudio(ByteString.copyFrom(pcm, off, Math.min(3200, pcm.length - off))).build());
        }
        req.onCompleted();
        Status s = done.get(300, TimeUnit.SECONDS);
        if (!s.isOk()) {
            throw new IOException("stream " + id + " failed: " + s);
        }
        synchronized (finals) {
            return String.join(" ", finals);
        }
    }

    static byte[] toBytes(short[] s) {
        byte[] b = new byte[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            b[2 * i] = (byte) s[i];
            b[2 * i + 1] = (byte) (s[i] >> 8);
        }
        return b;
    }

    /** id → reference words, from a Sphinx {@code transcription} file ({@code <s> words </s> (id)}). */
    static Map<String, String> references(Path transcription) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(transcription)) {
            int p = line.lastIndexOf('(');
            if (p < 0) {
                continue;
            }
            m.put(line.substring(p + 1, line.lastIndexOf(')')).trim(),
                    line.substring(0, p).replace("<s>", "").replace("</s>", "").trim());
        }
        return m;
    }

    static Path writeTrn(Path file, Map<String, String> byId) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : byId.entrySet()) {
            sb.append(e.getValue().toLowerCase(Locale.ROOT)).append(" (").append(e.getKey()).append(")\n");
        }
        return Files.writeString(file, sb.toString());
    }

    /** Runs {@code sctk sclite}; returns {Err, Sub, Del, Ins} percentages of the Sum/Avg line. */
    static double[] sclite(Path ref, Path hyp) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sctk", "sclite", "-r", ref.toString(), "trn", "-h", hyp.toString(), "trn",
                "-i", "rm", "-o", "sum", "stdout").redirectErrorStream(true).start();
        String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        for (String line : report.split("\n")) {
            if (line.contains("Sum/Avg")) {
                String[] f = line.replace("|", " ").trim().split("\\s+");
                // Sum/Avg #Snt #Wrd Corr Sub Del Ins Err S.Err
                return new double[] {Double.parseDouble(f[7]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])};
            }
        }
        throw new IOException("sclite gave no Sum/Avg line (is sctk installed?): " + report);
    }

    private static void row(PrintStream out, String name, double[] w) {
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f |%n", name, w[0], w[1], w[2], w[3]);
    }

    private static void vadRow(PrintStream out, String name, VadScore s) {
        out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |%n", name, s.frames(), s.accuracy(), s.precision(), s.recall());
    }

    /** A field of /proc/self/status in kB (VmRSS now, VmHWM peak). */
    static long rss(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
