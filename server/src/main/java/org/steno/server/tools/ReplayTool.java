package org.steno.server.tools;

import org.steno.access.ServiceToken;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.steno.proto.common.v1.AudioEncoding;
import org.steno.proto.media.v1.IngestAudio;
import org.steno.proto.media.v1.IngestConfig;
import org.steno.proto.media.v1.IngestEnd;
import org.steno.proto.media.v1.IngestPacing;
import org.steno.proto.media.v1.IngestRequest;
import org.steno.proto.media.v1.IngestSummary;
import org.steno.proto.media.v1.MediaIngestGrpc;

/**
 * {@code steno replay --meeting <id> --speaker "Alice=alice.wav" … [--room "Room 4=room.wav"]
 * [--realtime|--fast] [--server host:port]}: adds file-backed participants to a live meeting
 * through MediaIngest, all at once, each in 100 ms chunks sent only when gRPC flow control
 * says the server is ready. A {@code --room} file carries several voices: its track is marked
 * as a shared microphone, so the pipeline diarizes it.
 */
public final class ReplayTool {

    private static final String USAGE = "usage: steno replay --meeting <id> --speaker \"Name=file.wav\" [--speaker …]"
            + " [--room \"Name=file.wav\" (several voices, diarized)] [--realtime|--fast] [--server host:port]"
            + " [--token-file FILE (default: $STENO_SERVICE_TOKEN, else <STENO_DATA_DIR or ./steno-data>/service-token)]";

    private ReplayTool() {
    }

    /** One speaker's audio, read whole: little-endian 16-bit PCM at the file's rate and channels. */
    record Speaker(String name, String file, byte[] pcm, int rate, int channels, boolean room) {
        double seconds() {
            return pcm.length / (2.0 * channels * rate);
        }
    }

    /** MediaIngest is internal: the tool presents the service token of the deployment it feeds. */
    static ServiceToken serviceToken(String tokenFile) throws IOException {
        java.nio.file.Path file;
        if (tokenFile != null) {
            file = java.nio.file.Path.of(tokenFile);
        } else {
            String env = System.getenv("STENO_SERVICE_TOKEN");
            if (env != null && !env.isBlank()) {
                return ServiceToken.of(env.strip());
            }
            String dir = System.getenv().getOrDefault("STENO_DATA_DIR", "./steno-data");
            file = java.nio.file.Path.of(dir, org.steno.server.secrets.ServiceTokens.FILE_NAME);
        }
        if (!java.nio.file.Files.isReadable(file)) {
            throw new IOException("cannot read the service token " + file + "; run this on the host of steno up,"
                    + " or pass --token-file or STENO_SERVICE_TOKEN");
        }
        return ServiceToken.of(java.nio.file.Files.readString(file).strip());
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String meeting = null;
        String server = "127.0.0.1:9090";
        boolean fast = false;
        String tokenFile = null;
        Map<String, String> speakers = new LinkedHashMap<>();
        java.util.Set<String> rooms = new java.util.HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--meeting", "--speaker", "--room", "--server", "--token-file" -> {
                    if (i + 1 >= args.length) {
                        err.println("steno replay: " + a + " needs a value; " + USAGE);
                        return 2;
                    }
                    String v = args[++i];
                    if (a.equals("--meeting")) {
                        meeting = v;
                    } else if (a.equals("--server")) {
                        server = v;
                    } else if (a.equals("--token-file")) {
                        tokenFile = v;
                    } else {
                        int eq = v.indexOf('=');
                        if (eq < 1 || eq == v.length() - 1) {
                            err.println("steno replay: " + a + " takes \"Name=file.wav\", got '" + v + "'");
                            return 2;
                        }
                        if (speakers.putIfAbsent(v.substring(0, eq).strip(), v.substring(eq + 1)) != null) {
                            err.println("steno replay: speaker '" + v.substring(0, eq).strip() + "' is given twice");
                            return 2;
                        }
                        if (a.equals("--room")) {
                            rooms.add(v.substring(0, eq).strip());
                        }
                    }
                }
                case "--fast" -> fast = true;
                case "--realtime" -> fast = false;
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("steno replay: unknown argument '" + a + "'; " + USAGE);
                    return 2;
                }
            }
        }
        if (meeting == null || meeting.isBlank()) {
            err.println("steno replay: --meeting is required; " + USAGE);
            return 2;
        }
        if (speakers.isEmpty()) {
            err.println("steno replay: give at least one --speaker or --room \"Name=file.wav\"; " + USAGE);
            return 2;
        }
        int colon = server.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            err.println("steno replay: --server takes host:port, got '" + server + "'");
            return 2;
        }
        String host = colon > 0 ? server.substring(0, colon) : "127.0.0.1";
        List<Speaker> loaded = new ArrayList<>();
        for (var e : speakers.entrySet()) {
            try {
                loaded.add(read(e.getKey(), e.getValue(), rooms.contains(e.getKey())));
            } catch (IOException | UnsupportedAudioFileException | IllegalArgumentException ex) {
                err.println("steno replay: cannot use " + e.getValue() + " for " + e.getKey() + ": " + ex.getMessage());
                return 2;
            }
        }
        ServiceToken token;
        try {
            token = serviceToken(tokenFile);
        } catch (IOException | IllegalArgumentException e) {
            err.println("steno replay: " + e.getMessage());
            return 2;
        }
        ManagedChannel channel = token.applyTo(NettyChannelBuilder.forAddress(host, port).usePlaintext()).build();
        try {
            List<CompletableFuture<IngestSummary>> calls = new ArrayList<>();
            for (Speaker s : loaded) {
                calls.add(stream(channel, meeting, s, fast));
            }
            int code = 0;
            for (int i = 0; i < loaded.size(); i++) {
                Speaker s = loaded.get(i);
                try {
                    IngestSummary r = calls.get(i).get();
                    out.printf(Locale.ROOT, "%s: participant %s, track %s, %.2f s of audio from %s, media time %.3f–%.3f s%n",
                            s.name(), r.getParticipantId(), r.getTrackId(), s.seconds(), s.file(),
                            seconds(r.getMediaStart()), seconds(r.getMediaEnd()));
                } catch (ExecutionException e) {
                    Status st = Status.fromThrowable(e.getCause());
                    String what = st.getDescription() == null ? st.getCode().toString() : st.getDescription();
                    if (st.getCode() == Status.Code.UNAVAILABLE) {
                        err.println("steno replay: no Steno MediaIngest at " + host + ":" + port + " (" + what
                                + "); start 'steno up' or pass --server host:port");
                        code = Math.max(code, 1);
                    } else {
                        err.println("steno replay: " + s.name() + ": " + st.getCode() + ": " + what);
                        code = Math.max(code, st.getCode() == Status.Code.INTERNAL ? 1 : 2);
                    }
                }
            }
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            channel.shutdownNow();
        }
    }

    private static double seconds(com.google.protobuf.Duration d) {
        return d.getSeconds() + d.getNanos() / 1e9;
    }

    static Speaker read(String name, String path, boolean room) throws IOException, UnsupportedAudioFileException {
        if (name.length() > 100) {
            throw new IllegalArgumentException("a speaker name has at most 100 characters");
        }
        File f = new File(path);
        if (!f.isFile()) {
            throw new IOException("no such file");
        }
        try (AudioInputStream in = AudioSystem.getAudioInputStream(f)) {
            AudioFormat src = in.getFormat();
            int rate = Math.round(src.getSampleRate());
            int channels = src.getChannels();
            if (rate < 8000 || rate > 48000 || channels < 1 || channels > 2) {
                throw new IllegalArgumentException("need 8000–48000 Hz, mono or stereo; the file is " + rate + " Hz, "
                        + channels + " channel(s) (convert it, e.g. sox in.wav -r 16000 -c 1 out.wav)");
            }
            AudioFormat pcm16 = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, src.getSampleRate(), 16, channels,
                    2 * channels, src.getSampleRate(), false);
            try (AudioInputStream conv = AudioSystem.getAudioInputStream(pcm16, in)) {
                return new Speaker(name, path, conv.readAllBytes(), rate, channels, room);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cannot decode " + src.getEncoding() + " audio to 16-bit PCM");
            }
        }
    }

    /** Streams one speaker: config, 100 ms chunks as flow control allows, end. */
    private static CompletableFuture<IngestSummary> stream(ManagedChannel channel, String meeting, Speaker s, boolean fast) {
        long deadlineSeconds = (long) (fast ? 60 + s.seconds() : 30 + s.seconds() * 1.5);
        SpeakerStream call = new SpeakerStream(s);
        ClientCallStreamObserver<IngestRequest> req = (ClientCallStreamObserver<IngestRequest>)
                MediaIngestGrpc.newStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS).ingest(call);
        req.onNext(IngestRequest.newBuilder().setConfig(IngestConfig.newBuilder()
                .setMeetingId(meeting)
                .setDisplayName(s.name())
                .setIdentity("replay:" + s.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"))
                .setPacing(fast ? IngestPacing.INGEST_PACING_FAST : IngestPacing.INGEST_PACING_REALTIME)
                .setSourceName(new File(s.file()).getName())
                .setSharedMicrophone(s.room())
                .setAudioFormat(org.steno.proto.common.v1.AudioFormat.newBuilder()
                        .setEncoding(AudioEncoding.AUDIO_ENCODING_LINEAR16)
                        .setSampleRateHz(s.rate()).setChannels(s.channels()))).build());
        call.configSent();
        return call.done;
    }

    /** Sends one speaker's chunks whenever the call is ready; never buffers beyond gRPC's window. */
    private static final class SpeakerStream implements ClientResponseObserver<IngestRequest, IngestSummary> {
        final CompletableFuture<IngestSummary> done = new CompletableFuture<>();
        private final Speaker s;
        private final int chunk;
        private ClientCallStreamObserver<IngestRequest> req;
        private boolean started;
        private boolean ended;
        private int offset;
        private long sequence;

        SpeakerStream(Speaker s) {
            this.s = s;
            this.chunk = s.rate() / 10 * 2 * s.channels(); // 100 ms
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<IngestRequest> r) {
            req = r;
            r.setOnReadyHandler(this::pump);
        }

        void configSent() {
            synchronized (this) {
                started = true;
            }
            pump();
        }

        private synchronized void pump() {
            while (started && !ended && req.isReady()) {
                if (offset >= s.pcm().length) {
                    ended = true;
                    req.onNext(IngestRequest.newBuilder().setEnd(IngestEnd.newBuilder().setReason("end of file")).build());
                    req.onCompleted();
                    return;
                }
                int len = Math.min(chunk, s.pcm().length - offset);
                req.onNext(IngestRequest.newBuilder().setAudio(IngestAudio.newBuilder()
                        .setPcm(ByteString.copyFrom(s.pcm(), offset, len)).setSequence(sequence++)).build());
                offset += len;
            }
        }

        @Override
        public void onNext(IngestSummary value) {
            done.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                ended = true;
            }
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.completeExceptionally(new IllegalStateException("server ended without a summary"));
        }
    }
}
