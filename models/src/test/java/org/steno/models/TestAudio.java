package org.steno.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The real human speech Debian's pocketsphinx-testdata ships, with its transcripts. */
public final class TestAudio {

    public static final Path LIBRIVOX = Path.of("/usr/share/pocketsphinx/test/data/librivox");
    /** 7.1 s, one sentence. */
    public static final Path LONG_SENTENCE = LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-0870.wav");
    /** 2.99 s. */
    public static final Path SHORT_SENTENCE = LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-0880.wav");

    private TestAudio() {
    }

    /** The PCM of a 16 kHz mono s16 WAV from the test data (44-byte header). */
    public static byte[] pcm(Path wav) throws IOException {
        byte[] all = Files.readAllBytes(wav);
        return java.util.Arrays.copyOfRange(all, 44, all.length);
    }

    public static short[] samples(Path wav) throws IOException {
        byte[] b = pcm(wav);
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xff) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    /** Two sentences with {@code gapSeconds} of digital silence between them. */
    public static byte[] twoSentences(double gapSeconds) throws IOException {
        byte[] a = pcm(SHORT_SENTENCE);
        byte[] b = pcm(LIBRIVOX.resolve("sense_and_sensibility_01_austen_64kb-0930.wav"));
        int gap = (int) (gapSeconds * 16_000) * 2;
        byte[] out = new byte[a.length + gap + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length + gap, b.length);
        return out;
    }

    /** File id → reference words, from the {@code transcription} file. */
    public static Map<String, String> references() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(LIBRIVOX.resolve("transcription"))) {
            int p = line.lastIndexOf('(');
            if (p < 0) {
                continue;
            }
            String id = line.substring(p + 1, line.lastIndexOf(')'));
            m.put(id, line.substring(0, p).replace("<s>", "").replace("</s>", "").trim());
        }
        return m;
    }
}
