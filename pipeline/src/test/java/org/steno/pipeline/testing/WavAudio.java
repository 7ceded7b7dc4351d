package org.steno.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Reads the PCM of a 16 kHz mono 16-bit WAV file (the pocketsphinx test data). */
public final class WavAudio {

    public static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");

    private WavAudio() {
    }

    public static byte[] pcm(Path wav) {
        try {
            byte[] b = Files.readAllBytes(wav);
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int pos = 12;
            while (pos + 8 <= b.length) {
                String id = new String(b, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
                int size = bb.getInt(pos + 4);
                if (id.equals("fmt ")) {
                    int rate = bb.getInt(pos + 12);
                    int channels = bb.getShort(pos + 10);
                    if (rate != 16000 || channels != 1) {
                        throw new IllegalArgumentException(wav + ": need 16 kHz mono, got " + rate + " Hz × " + channels);
                    }
                }
                if (id.equals("data")) {
                    return Arrays.copyOfRange(b, pos + 8, Math.min(b.length, pos + 8 + size));
                }
                pos += 8 + size + (size & 1);
            }
            throw new IllegalArgumentException(wav + " has no data chunk");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Librivox utterance by its number, e.g. "0870". */
    public static byte[] librivox(String n) {
        return pcm(LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-" + n + ".wav"));
    }

    /** Concatenates pieces with {@code gapMs} of silence before each. */
    public static byte[] withPauses(int gapMs, byte[]... pieces) {
        int gap = gapMs * 32;
        int total = 0;
        for (byte[] p : pieces) {
            total += gap + p.length;
        }
        byte[] out = new byte[total + gap];
        int at = 0;
        for (byte[] p : pieces) {
            at += gap;
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
