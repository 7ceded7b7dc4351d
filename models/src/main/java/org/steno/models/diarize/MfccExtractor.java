package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.List;

/**
 * Mel-frequency cepstral coefficients of 16 kHz mono audio: 25 ms Hamming windows every 10 ms,
 * pre-emphasis 0.97, 512-point FFT, 24 triangular mel filters from 100 Hz to 7600 Hz, log,
 * DCT-II. Keeps c1..c{@value #CEPSTRA}: enough to tell voices apart, few enough for the
 * full-covariance Gaussians of the clustering to be estimated from a second of speech.
 *
 * <p>Streaming: {@link #accept} takes audio in any chunk size and returns the frames that
 * became complete; the overlap between frames is carried over, so feeding a signal in pieces
 * gives exactly the frames of feeding it at once. Not thread-safe.
 */
public final class MfccExtractor {

    public static final int SAMPLE_RATE = 16_000;
    static final int FRAME_LENGTH = 400;
    static final int FRAME_SHIFT = 160;
    static final int FFT_SIZE = 512;
    static final int MEL_BANDS = 24;
    static final int CEPSTRA = 16;
    private static final double PRE_EMPHASIS = 0.97;

    private final Fft fft = new Fft(FFT_SIZE);
    private final double[] window = new double[FRAME_LENGTH];
    private final double[][] melWeights;
    private final int[] melFirstBin;
    private final double[][] dct;
    private final double[] frame = new double[FRAME_LENGTH];
    private final double[] raw = new double[FRAME_LENGTH];
    /** Pitch search range: 60–400 Hz. */
    private static final int MIN_LAG = SAMPLE_RATE / 400;
    private static final int MAX_LAG = SAMPLE_RATE / 60;
    /** Features per frame: the cepstra, then voicing and voicing × log pitch. */
    public static final int DIMENSION = CEPSTRA + 2;
    private final double[] power = new double[FFT_SIZE / 2 + 1];
    private final double[] mel = new double[MEL_BANDS];
    /** Samples not yet consumed by a complete frame (at most one frame long). */
    private float[] pending = new float[0];

    public MfccExtractor() {
        for (int i = 0; i < FRAME_LENGTH; i++) {
            window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (FRAME_LENGTH - 1));
        }
        melWeights = new double[MEL_BANDS][];
        melFirstBin = new int[MEL_BANDS];
        double lowMel = hzToMel(100);
        double highMel = hzToMel(7600);
        double[] edgesHz = new double[MEL_BANDS + 2];
        for (int i = 0; i < edgesHz.length; i++) {
            edgesHz[i] = melToHz(lowMel + (highMel - lowMel) * i / (MEL_BANDS + 1));
        }
        double binHz = (double) SAMPLE_RATE / FFT_SIZE;
        for (int b = 0; b < MEL_BANDS; b++) {
            double left = edgesHz[b];
            double centre = edgesHz[b + 1];
            double right = edgesHz[b + 2];
            int first = (int) Math.ceil(left / binHz);
            int last = (int) Math.floor(right / binHz);
            melFirstBin[b] = first;
            melWeights[b] = new double[Math.max(0, last - first + 1)];
            for (int k = first; k <= last; k++) {
                double f = k * binHz;
                double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                melWeights[b][k - first] = Math.max(0, w);
            }
        }
        dct = new double[CEPSTRA][MEL_BANDS];
        for (int c = 0; c < CEPSTRA; c++) {
            for (int b = 0; b < MEL_BANDS; b++) {
                // c + 1: c0 (overall level) is dropped.
                dct[c][b] = Math.cos(Math.PI * (c + 1) * (b + 0.5) / MEL_BANDS) * Math.sqrt(2.0 / MEL_BANDS);
            }
        }
    }

    /** Features of a whole signal (samples in [-1, 1]). */
    public static Features extract(float[] samples) {
        MfccExtractor extractor = new MfccExtractor();
        List<float[]> cepstra = new ArrayList<>();
        List<Float> energy = new ArrayList<>();
        extractor.accept(samples, 0, samples.length, cepstra, energy);
        return toFeatures(cepstra, energy);
    }

    static Features toFeatures(List<float[]> cepstra, List<Float> energy) {
        float[] e = new float[energy.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = energy.get(i);
        }
        return new Features(cepstra.toArray(new float[0][]), e);
    }

    /**
     * Consumes samples and appends one row per completed frame to {@code cepstraOut} and
     * {@code energyOut}. Frame i starts at sample i × 160 of the stream.
     */
    public void accept(float[] samples, int offset, int length, List<float[]> cepstraOut, List<Float> energyOut) {
        float[] all = new float[pending.length + length];
        System.arraycopy(pending, 0, all, 0, pending.length);
        System.arraycopy(samples, offset, all, pending.length, length);
        int start = 0;
        while (start + FRAME_LENGTH <= all.length) {
            energyOut.add(computeFrame(all, start, cepstraOut));
            start += FRAME_SHIFT;
        }
        pending = java.util.Arrays.copyOfRange(all, start, all.length);
    }

    private float computeFrame(float[] samples, int start, List<float[]> out) {
        double energy = 0;
        double mean = 0;
        for (int i = 0; i < FRAME_LENGTH; i++) {
            mean += samples[start + i];
        }
        mean /= FRAME_LENGTH;
        double previous = start > 0 ? samples[start - 1] - mean : 0;
        for (int i = 0; i < FRAME_LENGTH; i++) {
            double x = samples[start + i] - mean;
            energy += x * x;
            raw[i] = x;
            frame[i] = (x - PRE_EMPHASIS * previous) * window[i];
            previous = x;
        }
        fft.powerSpectrum(frame, FRAME_LENGTH, power);
        for (int b = 0; b < MEL_BANDS; b++) {
            double sum = 0;
            double[] w = melWeights[b];
            int first = melFirstBin[b];
            for (int k = 0; k < w.length; k++) {
                sum += w[k] * power[first + k];
            }
            // Floor far below any real signal so digital silence gives finite values.
            mel[b] = Math.log(sum + 1e-8);
        }
        float[] row = new float[DIMENSION];
        for (int c = 0; c < CEPSTRA; c++) {
            double sum = 0;
            for (int b = 0; b < MEL_BANDS; b++) {
                sum += dct[c][b] * mel[b];
            }
            row[c] = (float) sum;
        }
        pitch(row);
        out.add(row);
        return (float) (10 * Math.log10(energy / FRAME_LENGTH + 1e-10));
    }

    /**
     * Voice pitch, which the spectral envelope misses (two voices with the same formants but a
     * man's and a woman's pitch look alike in MFCC): the normalised autocorrelation peak over
     * 60–400 Hz gives the voicing v (0–1) and the pitch f0; appended as v and v × (ln f0 − 5),
     * continuous so the Gaussians stay well-behaved on unvoiced frames.
     */
    private void pitch(float[] row) {
        double best = 0;
        int bestLag = MIN_LAG;
        double e0 = 0;
        for (int i = 0; i < FRAME_LENGTH; i++) {
            e0 += raw[i] * raw[i];
        }
        if (e0 > 1e-9) {
            double[] normalised = new double[MAX_LAG + 2];
            for (int lag = MIN_LAG; lag <= MAX_LAG + 1; lag++) {
                double r = 0;
                double e1 = 0;
                double e2 = 0;
                for (int i = 0; i + lag < FRAME_LENGTH; i++) {
                    r += raw[i] * raw[i + lag];
                    e1 += raw[i] * raw[i];
                    e2 += raw[i + lag] * raw[i + lag];
                }
                normalised[lag] = r / Math.sqrt(e1 * e2 + 1e-12);
                if (lag <= MAX_LAG && normalised[lag] > best) {
                    best = normalised[lag];
                    bestLag = lag;
                }
            }
            // Multiples of the period correlate almost as well: take the shortest lag whose
            // peak comes close to the best, or the pitch lands an octave low.
            for (int lag = MIN_LAG + 1; lag < bestLag; lag++) {
                if (normalised[lag] >= 0.85 * best && normalised[lag] >= normalised[lag - 1] && normalised[lag] >= normalised[lag + 1]) {
                    bestLag = lag;
                    break;
                }
            }
        }
        double voicing = Math.max(0, best);
        row[CEPSTRA] = (float) voicing;
        row[CEPSTRA + 1] = (float) (voicing * (Math.log((double) SAMPLE_RATE / bestLag) - 5));
    }

    private static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }
}
