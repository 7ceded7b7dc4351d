package org.steno.recorder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/** The Debian ffmpeg/ffprobe tools: an independent reader of what the recorder writes. */
final class Ffmpeg {

    private Ffmpeg() {
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread err = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(OutputStreamSink.INSTANCE);
            } catch (IOException ignored) {
                // stderr is only drained
            }
        });
        err.start();
        p.getInputStream().transferTo(out);
        int code = p.waitFor();
        err.join();
        if (code != 0) {
            throw new IOException(String.join(" ", cmd) + " exited with " + code);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Duration in ms from decoding the whole file (not the header, which WebM can get wrong). */
    static long decodedDurationMs(Path file) throws Exception {
        String out = run(List.of("ffprobe", "-v", "error", "-count_packets", "-show_entries",
                "format=duration:stream=codec_name", "-of", "default=nw=1", file.toString()));
        for (String line : out.split("\n")) {
            if (line.startsWith("duration=") && !line.contains("N/A")) {
                return Math.round(Double.parseDouble(line.substring(9)) * 1000);
            }
        }
        throw new IOException("ffprobe gave no duration for " + file + ": " + out);
    }

    static String codec(Path file) throws Exception {
        return run(List.of("ffprobe", "-v", "error", "-select_streams", "0", "-show_entries", "stream=codec_name",
                "-of", "default=nw=1:nk=1", file.toString())).trim();
    }

    /** Decodes audio to 48 kHz mono samples with ffmpeg. */
    static short[] decode(Path file) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-i", file.toString(), "-f", "s16le", "-ac", "1",
                "-ar", "48000", "-").start();
        Thread err = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(OutputStreamSink.INSTANCE);
            } catch (IOException ignored) {
                // drained
            }
        });
        err.start();
        byte[] raw = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IOException("ffmpeg could not decode " + file);
        }
        short[] s = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** Counts decoded video frames. */
    static int videoFrames(Path file) throws Exception {
        String out = run(List.of("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
                "-show_entries", "stream=nb_read_frames", "-of", "default=nw=1:nk=1", file.toString()));
        return Integer.parseInt(out.trim());
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
