package org.steno.models.diarize;

/**
 * In-place iterative radix-2 FFT of a fixed power-of-two size, with the twiddle factors and
 * bit-reversal table computed once. One instance per thread: the work arrays are reused.
 */
final class Fft {

    private final int n;
    private final int[] bitReversed;
    private final double[] cos;
    private final double[] sin;
    private final double[] re;
    private final double[] im;

    Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReversed = new int[n];
        for (int i = 0; i < n; i++) {
            bitReversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(-2 * Math.PI * i / n);
            sin[i] = Math.sin(-2 * Math.PI * i / n);
        }
        re = new double[n];
        im = new double[n];
    }

    int size() {
        return n;
    }

    /**
     * Power spectrum |X[k]|² for k = 0..n/2 of a real signal (zero-padded to n).
     *
     * @param signal input samples, at most n
     * @param length number of samples of {@code signal} to use
     * @param power  output of length n/2 + 1
     */
    void powerSpectrum(double[] signal, int length, double[] power) {
        for (int i = 0; i < n; i++) {
            int j = bitReversed[i];
            re[i] = j < length ? signal[j] : 0;
            im[i] = 0;
        }
        for (int size = 2; size <= n; size <<= 1) {
            int half = size >>> 1;
            int step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        for (int k = 0; k <= n / 2; k++) {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
    }
}
