package org.steno.models.vad;

/**
 * Speech / non-speech per 20 ms frame of 16 kHz audio, from two cues that separate voice from
 * the steady background of a meeting room: the frame's energy above an adaptive noise floor,
 * and its spectral flatness (voiced speech has a peaked spectrum; hiss and fans are flat).
 * A short onset requirement rejects clicks and a hangover bridges the gaps between words.
 *
 * <p>Stateful and not thread-safe: one instance per stream.
 */
public final class EnergyVad {

    public static final int SAMPLE_RATE = 16_000;
    public static final int FRAME_SAMPLES = 320;
    static final int FFT_SIZE = 512;

    private final double thresholdDb;
    private final double maxFlatness;
    private final int onsetFrames;
    private final int hangoverFrames;

    private double noiseDb = Double.NaN;
    private int speechRun;
    private int hangover;
    private boolean inSpeech;
    private final double[] re = new double[FFT_SIZE];
    private final double[] im = new double[FFT_SIZE];
    private final double[] window = new double[FRAME_SAMPLES];

    /** Defaults tuned on nothing but common sense: 9 dB over the floor, flatness < 0.35, 40 ms onset, 200 ms hangover. */
    public EnergyVad() {
        this(9.0, 0.35, 2, 10);
    }

    public EnergyVad(double thresholdDb, double maxFlatness, int onsetFrames, int hangoverFrames) {
        this.thresholdDb = thresholdDb;
        this.maxFlatness = maxFlatness;
        this.onsetFrames = onsetFrames;
        this.hangoverFrames = hangoverFrames;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (FRAME_SAMPLES - 1));
        }
    }

    /** Classifies one frame of {@link #FRAME_SAMPLES} samples starting at {@code off}. */
    public boolean isSpeech(short[] samples, int off) {
        double energy = 0;
        for (int i = 0; i < FRAME_SAMPLES; i++) {
            double x = samples[off + i];
            energy += x * x;
        }
        double db = 10 * Math.log10(energy / FRAME_SAMPLES + 1e-3);
        if (Double.isNaN(noiseDb)) {
            noiseDb = db;
        }
        // The floor follows quiet frames quickly and loud ones very slowly, so it settles on
        // the background level and is not dragged up by a long stretch of speech.
        noiseDb += db < noiseDb ? 0.2 * (db - noiseDb) : 0.002 * (db - noiseDb);
        boolean loud = db > noiseDb + thresholdDb && db > 20;
        boolean candidate = loud && flatness(samples, off) < maxFlatness;
        if (candidate) {
            speechRun++;
            if (speechRun >= onsetFrames) {
                inSpeech = true;
                hangover = hangoverFrames;
            }
        } else {
            speechRun = 0;
            if (inSpeech && --hangover <= 0) {
                inSpeech = false;
            }
        }
        return inSpeech;
    }

    /** Labels every whole frame of the audio. */
    public static boolean[] label(short[] samples, EnergyVad vad) {
        boolean[] out = new boolean[samples.length / FRAME_SAMPLES];
        for (int f = 0; f < out.length; f++) {
            out[f] = vad.isSpeech(samples, f * FRAME_SAMPLES);
        }
        return out;
    }

    /** Spectral flatness (geometric over arithmetic mean of the power spectrum, 100 Hz–4 kHz): 1 for white noise, near 0 for a tone. */
    double flatness(short[] samples, int off) {
        for (int i = 0; i < FFT_SIZE; i++) {
            re[i] = i < FRAME_SAMPLES ? samples[off + i] * window[i] : 0;
            im[i] = 0;
        }
        fft(re, im);
        int lo = 100 * FFT_SIZE / SAMPLE_RATE;
        int hi = 4000 * FFT_SIZE / SAMPLE_RATE;
        double logSum = 0;
        double sum = 0;
        for (int k = lo; k <= hi; k++) {
            double p = re[k] * re[k] + im[k] * im[k] + 1e-9;
            logSum += Math.log(p);
            sum += p;
        }
        int n = hi - lo + 1;
        return Math.exp(logSum / n) / (sum / n);
    }

    /** In-place radix-2 FFT. */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double ang = -2 * Math.PI / len;
            double wr = Math.cos(ang);
            double wi = Math.sin(ang);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double t = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = t;
                }
            }
        }
    }
}
