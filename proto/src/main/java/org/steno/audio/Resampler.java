package org.steno.audio;

import java.util.Arrays;

/**
 * Streaming band-limited resampler for 16-bit mono PCM (windowed-sinc, polyphase table).
 * Keeps its history between calls, so feeding a stream in 20 ms pieces gives the same
 * output as feeding it whole. The low-pass sits at 0.9 × the lower Nyquist frequency, so
 * 48 kHz → 16 kHz removes what would alias instead of folding it into speech.
 * One instance per stream; not thread-safe.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side, in units of the lower rate's samples. */
    private static final int ZERO_CROSSINGS = 12;
    private static final int MAX_TABLE_PHASES = 1024;

    private final int inRate;
    private final int outRate;
    private final int step;      // inRate / gcd: input advance per output, in phase units
    private final int phases;    // outRate / gcd
    private final int half;      // kernel half-width in input samples
    private final double cutoff; // relative to the input's Nyquist
    private final float[][] table; // [phase][2*half], or null when computed on the fly

    private float[] history = new float[0]; // input samples from absolute index `base`
    private long base;
    private long inCount;
    private long outCount;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.step = inRate / g;
        this.phases = outRate / g;
        double ratio = (double) outRate / inRate;
        this.cutoff = 0.9 * Math.min(1.0, ratio);
        this.half = (int) Math.ceil(ZERO_CROSSINGS / Math.min(1.0, ratio));
        if (phases <= MAX_TABLE_PHASES) {
            table = new float[phases][];
            for (int p = 0; p < phases; p++) {
                table[p] = kernel((double) p / phases);
            }
        } else {
            table = null;
        }
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Resamples the next piece of the stream; returns what can be produced so far. */
    public short[] process(short[] in, int off, int len) {
        if (inRate == outRate) {
            return Arrays.copyOfRange(in, off, off + len);
        }
        append(in, off, len);
        int capacity = (int) ((inCount * phases) / step - outCount + 2);
        short[] out = new short[Math.max(0, capacity)];
        int n = 0;
        while (true) {
            // Position of output sample outCount on the input axis: outCount * step / phases.
            long num = outCount * step;
            long center = num / phases;
            int phase = (int) (num % phases);
            if (center + half >= inCount) {
                break;
            }
            float[] k = table != null ? table[phase] : kernel((double) phase / phases);
            long first = center - half + 1;
            double acc = 0;
            for (int i = 0; i < k.length; i++) {
                long idx = first + i;
                if (idx >= base && idx < inCount) {
                    acc += k[i] * history[(int) (idx - base)];
                }
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2 + 16);
            }
            out[n++] = clip(acc);
            outCount++;
        }
        trim();
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    public short[] process(short[] in) {
        return process(in, 0, in.length);
    }

    /** Kernel taps for input samples center-half+1 … center+half at fractional offset frac. */
    private float[] kernel(double frac) {
        float[] k = new float[2 * half];
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            double x = (i - half + 1) - frac; // distance from the output position in input samples
            double w = window(x / half);
            double s = x == 0 ? 1.0 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
            k[i] = (float) (cutoff * s * w);
            sum += k[i];
        }
        // Unity gain at DC whatever the phase.
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }

    private static double window(double t) {
        if (t <= -1 || t >= 1) {
            return 0;
        }
        // Blackman window centred on 0.
        return 0.42 + 0.5 * Math.cos(Math.PI * t) + 0.08 * Math.cos(2 * Math.PI * t);
    }

    private void append(short[] in, int off, int len) {
        int used = (int) (inCount - base);
        if (used + len > history.length) {
            history = Arrays.copyOf(history, Math.max(used + len, history.length * 2));
        }
        for (int i = 0; i < len; i++) {
            history[used + i] = in[off + i];
        }
        inCount += len;
    }

    /** Drops input no future output needs. */
    private void trim() {
        long center = (outCount * step) / phases;
        long keepFrom = Math.max(base, center - half);
        int drop = (int) (keepFrom - base);
        if (drop > 0) {
            int used = (int) (inCount - base);
            System.arraycopy(history, drop, history, 0, used - drop);
            base = keepFrom;
        }
    }

    private static short clip(double v) {
        long r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
