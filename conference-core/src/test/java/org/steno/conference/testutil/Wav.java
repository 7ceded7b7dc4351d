package org.steno.conference.testutil;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Test helper: reads a 16-bit mono WAV and computes energy envelopes. */
public final class Wav {

    public static final String LIBRIVOX = "/usr/share/pocketsphinx/test/data/librivox/";
    public static final String ALICE = LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0880.wav";
    public static final String BOB = LIBRIVOX + "sense_and_sensibility_01_austen_64kb-0930.wav";

    private Wav() {
    }

    public static short[] read(String path) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new File(path))) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getChannels() != 1 || f.getSampleRate() != 16000f) {
                throw new IllegalArgumentException(path + " is not 16-bit 16 kHz mono: " + f);
            }
            byte[] b = in.readAllBytes();
            short[] s = new short[b.length / 2];
            ByteBuffer.wrap(b).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
            return s;
        }
    }

    public static byte[] littleEndian(short[] s, int off, int len) {
        byte[] b = new byte[len * 2];
        for (int i = 0; i < len; i++) {
            b[2 * i] = (byte) s[off + i];
            b[2 * i + 1] = (byte) (s[off + i] >> 8);
        }
        return b;
    }

    /** RMS per window of {@code window} samples. */
    public static double[] envelope(short[] s, int window) {
        double[] e = new double[s.length / window];
        for (int w = 0; w < e.length; w++) {
            double sum = 0;
            for (int i = w * window; i < (w + 1) * window; i++) {
                sum += (double) s[i] * s[i];
            }
            e[w] = Math.sqrt(sum / window);
        }
        return e;
    }

    /** Pearson correlation over the common length. */
    public static double correlation(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0, mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double num = 0, da = 0, db = 0;
        for (int i = 0; i < n; i++) {
            num += (a[i] - ma) * (b[i] - mb);
            da += (a[i] - ma) * (a[i] - ma);
            db += (b[i] - mb) * (b[i] - mb);
        }
        return num / Math.sqrt(da * db);
    }
}
