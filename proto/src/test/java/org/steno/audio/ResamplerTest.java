package org.steno.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static short[] tone(double hz, int rate, int n, double amp) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            s[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Amplitude of frequency hz in s (single-bin DFT). */
    private static double amplitude(short[] s, int from, int to, double hz, int rate) {
        double re = 0, im = 0;
        for (int i = from; i < to; i++) {
            re += s[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += s[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    @Test
    void downsampling48kKeepsSpeechBandAndRemovesWhatWouldAlias() {
        Resampler r = new Resampler(48_000, 16_000);
        short[] in = new short[48_000];
        short[] speech = tone(1000, 48_000, 48_000, 8000);
        short[] high = tone(12_000, 48_000, 48_000, 8000); // would fold to 4 kHz
        for (int i = 0; i < in.length; i++) {
            in[i] = (short) (speech[i] + high[i]);
        }
        short[] out = new short[0];
        for (int off = 0; off < in.length; off += 960) { // fed in 20 ms packets
            short[] part = r.process(in, off, 960);
            int old = out.length;
            out = Arrays.copyOf(out, old + part.length);
            System.arraycopy(part, 0, out, old, part.length);
        }
        assertThat(out.length).isBetween(15_950, 16_000);
        assertThat(amplitude(out, 1000, 15000, 1000, 16_000)).isBetween(7800.0, 8200.0);
        assertThat(amplitude(out, 1000, 15000, 4000, 16_000)).isLessThan(40.0); // alias suppressed > 46 dB
    }

    @Test
    void pieceByPieceEqualsWhole() {
        short[] in = tone(440, 44_100, 44_100, 10000);
        short[] whole = new Resampler(44_100, 16_000).process(in);
        Resampler r = new Resampler(44_100, 16_000);
        short[] pieces = new short[0];
        for (int off = 0; off < in.length; off += 441) {
            short[] p = r.process(in, off, Math.min(441, in.length - off));
            int old = pieces.length;
            pieces = Arrays.copyOf(pieces, old + p.length);
            System.arraycopy(p, 0, pieces, old, p.length);
        }
        assertThat(pieces).isEqualTo(whole);
        assertThat(rms(whole, 1000, whole.length - 1000)).isBetween(7000.0, 7150.0);
    }

    @Test
    void upsampling8kKeepsTheTone() {
        short[] out = new Resampler(8_000, 16_000).process(tone(300, 8_000, 8_000, 6000));
        assertThat(amplitude(out, 500, out.length - 500, 300, 16_000)).isBetween(5800.0, 6200.0);
    }
}
