package org.steno.recorder.bench;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusEncoder;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.steno.recorder.Recorder;
import org.steno.recorder.RecorderEvents;
import org.steno.recorder.RecorderSettings;
import org.steno.recorder.RecordingInput;
import org.steno.recorder.RecordingSession;
import org.steno.recorder.RecordingTaps;
import org.steno.recorder.finalize.Manifest;
import org.steno.recorder.store.DirectoryObjectStore;

/**
 * {@code steno bench recorder}: CPU per recorded track (packet copy into Ogg segments) and per
 * mixed recording (decode every speaker, mix, encode Opus) for N synthetic speakers over T
 * seconds of meeting time, fed as fast as the recorder takes them. CPU is the recording
 * thread's own CPU time (ThreadMXBean), so it is what one meeting costs whatever else runs on
 * the machine; it is set against LiveKit Egress's budgets (0.5 CPU per track recording,
 * 1 CPU per audio-only composite).
 */
public final class RecorderBench {

    private static final double LIVEKIT_TRACK_CORES = 0.5;
    private static final double LIVEKIT_AUDIO_COMPOSITE_CORES = 1.0;

    private RecorderBench() {
    }

    /** Result of one run: the recording thread's CPU and the wall time, both in ns. */
    record Run(long cpuNanos, long wallNanos, long finalizeNanos, int files) {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        int tracks = 8;
        int seconds = 60;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            try {
                switch (args[i]) {
                    case "--tracks" -> tracks = Integer.parseInt(args[++i]);
                    case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                    default -> {
                        err.println("steno bench recorder: unknown argument '" + args[i]
                                + "'; usage: steno bench recorder [--tracks N] [--seconds T]");
                        return 2;
                    }
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                err.println("steno bench recorder: " + flag + " needs a whole number");
                return 2;
            }
        }
        if (tracks < 1 || tracks > 200 || seconds < 1 || seconds > 3600) {
            err.println("steno bench recorder: --tracks must be 1..200 and --seconds 1..3600");
            return 2;
        }
        try {
            out.printf("recorder benchmark: %d speakers x %d s of meeting time, %d cores, %s %s%n", tracks, seconds,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            List<byte[]> packets = speechPackets(seconds);
            // A short warm-up so JIT compilation is not billed to the first measured run.
            measure(2, Math.min(seconds, 10), false, packets);
            measure(2, Math.min(seconds, 10), true, packets);
            Run copy = measure(tracks, seconds, false, packets);
            Run mixed = measure(tracks, seconds, true, packets);
            Run copyOne = measure(1, seconds, false, packets);
            Run mixedOne = measure(1, seconds, true, packets);
            double perTrack = copy.cpuNanos / (double) tracks / (seconds * 1e9);
            double mixOnly = Math.max(0, mixed.cpuNanos - copy.cpuNanos) / (seconds * 1e9);
            // Mixing N speakers = N decodes + one mix encode; two sizes separate the two.
            double decodePerTrack = tracks > 1
                    ? Math.max(0, (mixed.cpuNanos - copy.cpuNanos) - (mixedOne.cpuNanos - copyOne.cpuNanos))
                    / (double) (tracks - 1) / (seconds * 1e9) : 0;
            double encodePerMeeting = Math.max(0, (mixedOne.cpuNanos - copyOne.cpuNanos) / (seconds * 1e9)
                    - decodePerTrack);
            out.printf("copy  (no mix): recording thread %.3f s CPU, wall %.3f s (%.0fx real time)%n",
                    copy.cpuNanos / 1e9, copy.wallNanos / 1e9, seconds / (copy.wallNanos / 1e9));
            out.printf("copy + mix    : recording thread %.3f s CPU, wall %.3f s (%.0fx real time), finalize %.2f s%n",
                    mixed.cpuNanos / 1e9, mixed.wallNanos / 1e9, seconds / (mixed.wallNanos / 1e9),
                    mixed.finalizeNanos / 1e9);
            out.printf("per recorded track (copy)     : %.4f %% of a core   (LiveKit Egress budget 0.5 CPU: %.0fx less)%n",
                    perTrack * 100, LIVEKIT_TRACK_CORES / Math.max(perTrack, 1e-9));
            out.printf("per mixed recording (%2d spk)  : %.3f %% of a core   (LiveKit audio composite 1 CPU: %.0fx less)%n",
                    tracks, mixOnly * 100, LIVEKIT_AUDIO_COMPOSITE_CORES / Math.max(mixOnly, 1e-9));
            if (tracks > 1) {
                out.printf("  of which: decode per speaker %.3f %% of a core, mix + Opus encode per meeting %.3f %%%n",
                        decodePerTrack * 100, encodePerMeeting * 100);
            }
            out.printf("targets: copy <= 0.5 %% of a core per track: %s; mixed Opus encode <= 3 %% per meeting: %s%n",
                    perTrack <= 0.005 ? "met" : "MISSED", encodePerMeeting <= 0.03 ? "met" : "MISSED");
            return 0;
        } catch (Exception e) {
            err.println("steno bench recorder: " + e.getMessage());
            return 1;
        }
    }

    private static Run measure(int tracks, int seconds, boolean mix, List<byte[]> packets) throws Exception {
        Path dir = Files.createTempDirectory("steno-bench-recorder");
        try {
            RecorderSettings settings = RecorderSettings.defaults().withMix(mix).withMinFreeBytes(16L << 20)
                    .withQueueCapacity(tracks * seconds * 50 + 1000);
            Recorder recorder = new Recorder(new DirectoryObjectStore(dir.resolve("store")), dir.resolve("data"),
                    settings, RecordingTaps.none(), RecorderEvents.NONE);
            recorder.start();
            long t0 = 1_000_000;
            long wallStart = System.nanoTime();
            RecordingSession s = recorder.startDirect("bench", t0);
            for (int t = 0; t < tracks; t++) {
                s.trackStarted("p" + t, "Speaker " + t, "a" + t, RecordingInput.Kind.AUDIO, RecordingInput.Source.MICROPHONE, "opus", 48000, t0);
            }
            int count = seconds * 50;
            for (int i = 0; i < count; i++) {
                long media = t0 + 20_000L * i;
                byte[] p = packets.get(i % packets.size());
                for (int t = 0; t < tracks; t++) {
                    s.packet("a" + t, 1000 + t, i, 960L * i, true, p, media);
                }
            }
            long finalizeStart;
            Manifest m;
            java.util.concurrent.CompletableFuture<Manifest> done = recorder.stopAndFinalize("bench");
            while (s.threadCpuNanos() < 0) {
                Thread.sleep(1);
            }
            long wall = System.nanoTime() - wallStart;
            finalizeStart = System.nanoTime();
            m = done.get(10, TimeUnit.MINUTES);
            long finalizeNanos = System.nanoTime() - finalizeStart;
            recorder.close();
            if (s.droppedEvents() > 0) {
                throw new IllegalStateException(s.droppedEvents() + " events dropped: the measurement is invalid");
            }
            return new Run(s.threadCpuNanos(), wall, finalizeNanos, m.files().size());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Speech-like Opus packets: the pocketsphinx test speech when installed, else a modulated tone. */
    static List<byte[]> speechPackets(int seconds) throws Exception {
        short[] pcm = null;
        Path wav = Path.of("/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0870.wav");
        if (Files.isReadable(wav)) {
            byte[] b = Files.readAllBytes(wav);
            short[] in = new short[(b.length - 44) / 2];
            ByteBuffer.wrap(b, 44, in.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(in);
            pcm = new short[in.length * 3];
            for (int i = 0; i < pcm.length; i++) {
                pcm[i] = in[i / 3];
            }
        } else {
            pcm = new short[48000 * 5];
            for (int i = 0; i < pcm.length; i++) {
                double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 3 * i / 48000.0);
                pcm[i] = (short) (8000 * env * Math.sin(2 * Math.PI * 220 * i / 48000.0));
            }
        }
        OpusEncoder enc = new OpusEncoder(48000, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        enc.setBitrate(32000);
        List<byte[]> packets = new ArrayList<>();
        byte[] out = new byte[1275];
        int frames = Math.min(pcm.length / 960, seconds * 50);
        for (int f = 0; f < frames; f++) {
            int n = enc.encode(pcm, f * 960, 960, out, 0, out.length);
            packets.add(java.util.Arrays.copyOf(out, n));
        }
        return packets;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }
}
