package org.steno.models.audio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * Turns any audio or video file FFmpeg reads (through JavaCV) into 16 kHz mono signed 16-bit
 * samples, the only input the recognizer understands (it does not check sample rates and
 * produces nonsense from anything else). FFmpeg's resampler does the conversion.
 */
public final class MediaAudioDecoder {

    public static final int SAMPLE_RATE = 16_000;

    static {
        // FFmpeg writes every probe failure to stderr; we report our own sentence instead.
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        FFmpegLogCallback.setLevel(avutil.AV_LOG_QUIET);
    }

    /** Receives decoded audio in order. */
    public interface SampleSink {
        /** {@code n} samples at the start of {@code samples}; the array is reused after the call. */
        void accept(short[] samples, int n) throws IOException;
    }

    /** Reports progress: samples so far and the expected total (0 when the container does not say). */
    public interface Progress {
        void update(long samplesDone, long samplesExpected);
    }

    /** What was decoded. */
    public record Decoded(long samples, String format) {
        public double seconds() {
            return samples / (double) SAMPLE_RATE;
        }
    }

    private MediaAudioDecoder() {
    }

    public static Decoded decode(Path file, SampleSink sink, Progress progress) throws AudioDecodeException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.IO, "cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new AudioDecodeException(AudioDecodeException.Reason.EMPTY, file + " is empty (0 bytes)", null);
        }
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile())) {
            return run(g, file.toString(), sink, progress);
        } catch (FrameGrabber.Exception e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.IO, "cannot close " + file, e);
        }
    }

    /** Decodes a whole file held in memory (e.g. a Recognize request's content). */
    public static Decoded decode(byte[] content, SampleSink sink) throws AudioDecodeException {
        if (content.length == 0) {
            throw new AudioDecodeException(AudioDecodeException.Reason.EMPTY, "the audio content is empty", null);
        }
        InputStream in = new ByteArrayInputStream(content);
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(in, 0)) {
            return run(g, "the audio content", sink, (a, b) -> { });
        } catch (FrameGrabber.Exception e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.IO, "cannot close the decoder", e);
        }
    }

    /** Decodes everything into one array. */
    public static short[] decodeAll(Path file) throws AudioDecodeException {
        ShortCollector c = new ShortCollector();
        decode(file, c, (a, b) -> { });
        return c.toArray();
    }

    public static short[] decodeAll(byte[] content) throws AudioDecodeException {
        ShortCollector c = new ShortCollector();
        decode(content, c);
        return c.toArray();
    }

    private static Decoded run(FFmpegFrameGrabber g, String what, SampleSink sink, Progress progress)
            throws AudioDecodeException {
        g.setSampleRate(SAMPLE_RATE);
        g.setAudioChannels(1);
        g.setSampleFormat(avutil.AV_SAMPLE_FMT_S16);
        try {
            g.start();
        } catch (FrameGrabber.Exception e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.NOT_MEDIA,
                    what + " is not a media file FFmpeg can read (" + firstLine(e) + ")", e);
        }
        if (!g.hasAudio()) {
            String kind = g.hasVideo() ? "a video with no audio track" : "a file with no audio stream";
            throw new AudioDecodeException(AudioDecodeException.Reason.NO_AUDIO_STREAM,
                    what + " is " + kind + "; nothing to transcribe", null);
        }
        long expected = g.getLengthInTime() > 0 ? g.getLengthInTime() * SAMPLE_RATE / 1_000_000 : 0;
        String format = g.getFormat();
        long done = 0;
        short[] chunk = new short[4096];
        try {
            Frame f;
            while ((f = g.grabSamples()) != null) {
                if (f.samples == null || f.samples.length == 0) {
                    continue;
                }
                ShortBuffer sb = (ShortBuffer) f.samples[0];
                sb.rewind();
                while (sb.hasRemaining()) {
                    int n = Math.min(chunk.length, sb.remaining());
                    sb.get(chunk, 0, n);
                    sink.accept(chunk, n);
                    done += n;
                }
                progress.update(done, expected);
            }
        } catch (FrameGrabber.Exception e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.CORRUPT,
                    what + " is corrupt: decoding stopped after " + done / SAMPLE_RATE + " s (" + firstLine(e) + ")", e);
        } catch (IOException e) {
            throw new AudioDecodeException(AudioDecodeException.Reason.IO, "cannot pass decoded audio on: " + e.getMessage(), e);
        }
        if (done == 0) {
            throw new AudioDecodeException(AudioDecodeException.Reason.CORRUPT,
                    what + " has an audio stream but no decodable audio (corrupt or truncated)", null);
        }
        return new Decoded(done, format);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Growing short array. */
    static final class ShortCollector implements SampleSink {
        private short[] data = new short[16_000 * 10];
        private int size;

        @Override
        public void accept(short[] samples, int n) {
            if (size + n > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(size + n, data.length * 2));
            }
            System.arraycopy(samples, 0, data, size, n);
            size += n;
        }

        short[] toArray() {
            return java.util.Arrays.copyOf(data, size);
        }
    }
}
