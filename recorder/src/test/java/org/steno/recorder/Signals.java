package org.steno.recorder;

/** Small signal measures for checking recordings. */
final class Signals {

    private Signals() {
    }

    /** RMS of {@code s} between two times in ms (clamped to the signal). */
    static double rms(short[] s, long fromMs, long toMs) {
        int a = (int) Math.max(0, fromMs * 48);
        int b = (int) Math.min(s.length, toMs * 48);
        if (b <= a) {
            return 0;
        }
        double sum = 0;
        for (int i = a; i < b; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (b - a));
    }

    /** RMS envelope with windows of {@code window} samples. */
    static double[] envelope(double[] s, int window) {
        double[] e = new double[s.length / window];
        for (int w = 0; w < e.length; w++) {
            double sum = 0;
            for (int i = 0; i < window; i++) {
                double v = s[w * window + i];
                sum += v * v;
            }
            e[w] = Math.sqrt(sum / window);
        }
        return e;
    }

    static double correlation(double[] a, double[] b, int lag) {
        int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        int count = 0;
        for (int i = Math.max(0, -lag); i < n && i + lag < b.length; i++) {
            ma += a[i];
            mb += b[i + lag];
            count++;
        }
        ma /= count;
        mb /= count;
        double num = 0;
        double da = 0;
        double db = 0;
        for (int i = Math.max(0, -lag); i < n && i + lag < b.length; i++) {
            double x = a[i] - ma;
            double y = b[i + lag] - mb;
            num += x * y;
            da += x * x;
            db += y * y;
        }
        return num / Math.sqrt(da * db + 1e-9);
    }

    /** The lag (in windows) of {@code b} against {@code a} with the highest correlation, within ±maxLag. */
    static int bestLag(double[] a, double[] b, int maxLag) {
        int best = 0;
        double bestC = -2;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double c = correlation(a, b, lag);
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return best;
    }

    /** A track's samples laid on the recording's time line at its offset. */
    static double[] atOffset(short[] track, long offsetMs, int totalSamples) {
        double[] out = new double[totalSamples];
        int at = (int) (offsetMs * 48);
        for (int i = 0; i < track.length && at + i < totalSamples; i++) {
            if (at + i >= 0) {
                out[at + i] = track[i];
            }
        }
        return out;
    }
}
