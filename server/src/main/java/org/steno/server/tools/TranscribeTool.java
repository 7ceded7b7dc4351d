package org.steno.server.tools;

import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.steno.models.asr.AsrModelPaths;
import org.steno.models.asr.EngineStatus;
import org.steno.models.asr.PocketSphinx;
import org.steno.models.asr.RecognitionEvent;
import org.steno.models.asr.SphinxDecoder;
import org.steno.models.asr.WholeAudioRecognizer;
import org.steno.models.audio.AudioDecodeException;
import org.steno.models.audio.MediaAudioDecoder;
import org.steno.models.cli.TranscriptAssembler;
import org.steno.models.diarize.BuiltinDiarizer;
import org.steno.models.diarize.SpeakerCount;
import org.steno.models.diarize.Turn;
import org.steno.models.transcriber.EmbeddedTranscriber;
import org.steno.proto.transcript.v1.Transcript;

/**
 * {@code steno transcribe FILE [--language en] [--speakers N] [--format json|vtt|srt|txt|rttm]
 * [--out PATH] [--model-dir DIR]}: any audio or video file FFmpeg reads becomes a transcript
 * with word times and speaker turns (the builtin diarizer; {@code --speakers} fixes the count),
 * as the {@code steno.transcript.v1.Transcript} JSON or rendered as WebVTT, SRT, text or RTTM.
 * Progress goes to stderr for files longer than a few seconds.
 */
public final class TranscribeTool {

    static final String USAGE = "usage: steno transcribe FILE [--language en] [--speakers N] "
            + "[--format json|vtt|srt|txt|rttm] [--out PATH] [--model-dir DIR]\n"
            + "       steno transcribe --meeting ID [--recording RECORDING_ID] [--config FILE]   (the pass after the meeting, by WhisperX)";
    /** Files shorter than this finish before a progress bar would be worth drawing. */
    static final double PROGRESS_MIN_SECONDS = 5;

    private TranscribeTool() {
    }

    record Options(Path file, String language, int speakers, String format, Path out, Path modelDir) {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--meeting")) {
            return FinalPassTool.run(args, System.getenv(), out, err);
        }
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("steno transcribe: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (!Files.isRegularFile(o.file())) {
            err.println("steno transcribe: " + o.file() + " does not exist or is not a file");
            return 2;
        }
        AsrModelPaths paths = o.modelDir() == null ? AsrModelPaths.debianEnUs() : AsrModelPaths.inDirectory(o.modelDir());
        EngineStatus status = PocketSphinx.status(paths);
        if (!status.ready()) {
            err.println("steno transcribe: " + status.detail());
            return 2;
        }
        try {
            Transcript t = transcribe(o, paths, err);
            String rendered = render(t, o);
            if (o.out() == null) {
                out.print(rendered);
                out.flush();
            } else {
                Files.writeString(o.out(), rendered, StandardCharsets.UTF_8);
                err.println("steno transcribe: wrote " + o.out());
            }
            return 0;
        } catch (AudioDecodeException e) {
            err.println("steno transcribe: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("steno transcribe: " + e.getMessage());
            return 2;
        }
    }

    static Options parse(String[] args) {
        Path file = null;
        String language = "en";
        int speakers = 0;
        String format = "json";
        Path out = null;
        Path modelDir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--language" -> language = value(args, ++i, a);
                case "--speakers" -> {
                    String v = value(args, ++i, a);
                    try {
                        speakers = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        speakers = -1;
                    }
                    if (speakers < 1 || speakers > SpeakerCount.LIMIT) {
                        throw new IllegalArgumentException("--speakers must be a number from 1 to " + SpeakerCount.LIMIT + ", got '" + v + "'");
                    }
                }
                case "--format" -> format = value(args, ++i, a).toLowerCase(Locale.ROOT);
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--model-dir" -> modelDir = Path.of(value(args, ++i, a));
                default -> {
                    if (a.startsWith("--") || file != null) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("name the audio or video file to transcribe");
        }
        if (!List.of("json", "vtt", "srt", "txt", "rttm").contains(format)) {
            throw new IllegalArgumentException("unknown format '" + format + "'; use json, vtt, srt, txt or rttm");
        }
        String l = language.toLowerCase(Locale.ROOT);
        if (!(l.equals("en") || l.startsWith("en-"))) {
            throw new IllegalArgumentException("language '" + language + "' is not supported by the embedded recognizer; supported: en, en-US");
        }
        return new Options(file, language, speakers, format, out, modelDir);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    static Transcript transcribe(Options o, AsrModelPaths paths, PrintStream err) throws AudioDecodeException {
        short[] samples = MediaAudioDecoder.decodeAll(o.file());
        double seconds = samples.length / 16_000.0;
        ProgressBar bar = seconds >= PROGRESS_MIN_SECONDS ? new ProgressBar(err, samples.length) : null;
        List<RecognitionEvent.Final> finals;
        try (SphinxDecoder d = PocketSphinx.newDecoder(paths)) {
            finals = WholeAudioRecognizer.recognize(d, samples, n -> {
                if (bar != null) {
                    bar.update(n);
                }
            });
        }
        if (bar != null) {
            bar.done();
        }
        float[] pcm = new float[samples.length];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = samples[i] / 32768f;
        }
        List<Turn> turns = new BuiltinDiarizer().diarize(pcm, o.speakers() > 0 ? SpeakerCount.exactly(o.speakers()) : SpeakerCount.UNKNOWN);
        List<TranscriptAssembler.SpeakerTurn> speakerTurns = new ArrayList<>();
        for (Turn t : turns) {
            speakerTurns.add(new TranscriptAssembler.SpeakerTurn(t.speaker(), t.start(), t.end()));
        }
        String name = o.file().getFileName().toString();
        String id = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
        return TranscriptAssembler.assemble(id, "file", o.language(), samples.length, finals, speakerTurns,
                new TranscriptAssembler.Provenance(EmbeddedTranscriber.ENGINE_NAME, "pocketsphinx-5prealpha",
                        EmbeddedTranscriber.MODEL_NAME, BuiltinDiarizer.ENGINE_NAME, BuiltinDiarizer.ENGINE_VERSION));
    }

    static String render(Transcript t, Options o) throws IOException {
        return o.format().equals("json") ? JsonFormat.printer().print(t) + "\n"
                : org.steno.server.archive.TranscriptRenderings.INSTANCE.render(o.format(), t);
    }

    /** A one-line bar redrawn in place on stderr, at most every half percent. */
    static final class ProgressBar {
        private final PrintStream err;
        private final long total;
        private final long started = System.nanoTime();
        private int lastPermille = -1;

        ProgressBar(PrintStream err, long total) {
            this.err = err;
            this.total = Math.max(1, total);
        }

        void update(long done) {
            int permille = (int) (done * 1000 / total);
            if (permille - lastPermille < 5 && permille != 1000) {
                return;
            }
            lastPermille = permille;
            int filled = permille * 30 / 1000;
            double elapsed = (System.nanoTime() - started) / 1e9;
            err.printf(Locale.ROOT, "\rtranscribing [%s%s] %3d%%  %.1f/%.1f s audio, %.1f s elapsed",
                    "#".repeat(filled), "-".repeat(30 - filled), permille / 10, done / 16_000.0, total / 16_000.0, elapsed);
            err.flush();
        }

        void done() {
            update(total);
            err.println();
        }
    }
}
