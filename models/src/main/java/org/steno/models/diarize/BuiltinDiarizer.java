package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.List;

/**
 * Steno's builtin diarization engine, pure Java, for 16 kHz mono audio:
 * speech detection ({@link SpeechDetector}) → MFCC frames ({@link MfccExtractor}) → segments
 * cut at speaker changes ({@link SpeakerChangeDetector}) → agglomerative clustering by ΔBIC,
 * honouring a speaker-count hint ({@link BicClustering}) → Viterbi resegmentation with one
 * Gaussian per speaker ({@link Resegmenter}) → turns. Overlapping speech is attributed to the
 * dominant voice (one speaker per frame). Stateless and thread-safe: each call works on its own
 * data.
 */
public final class BuiltinDiarizer {

    public static final String ENGINE_NAME = "steno-builtin-diarizer";
    public static final String ENGINE_VERSION = "1";

    /**
     * Tuning knobs. {@code bicPenalty}: λ of ΔBIC for clustering (higher = fewer speakers);
     * {@code changePenalty}: λ for change detection; {@code switchPenalty}: Viterbi cost of a
     * speaker change, in log-likelihood units; {@code bridgeSeconds}: same-speaker pauses up to
     * this long stay inside one turn; {@code minTurnSeconds}: shorter turns are dropped.
     */
    public record Settings(double bicPenalty, double changePenalty, double switchPenalty, double bridgeSeconds, double minTurnSeconds) {
        /**
         * λ = 3 for clustering: frames 10 ms apart are far from independent, so the textbook
         * λ = 1 splits every voice into many. Chosen on espeak-ng and pocketsphinx-testdata
         * mixtures (2.5–3.0 gave the right count on all of them, 3.25 merged the two real
         * speakers): the automatic count is the sensitive part of this engine.
         */
        public static final Settings DEFAULT = new Settings(3.0, 1.0, 40, 0.5, 0.15);
    }

    private final Settings settings;

    public BuiltinDiarizer() {
        this(Settings.DEFAULT);
    }

    public BuiltinDiarizer(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    /**
     * Recordings longer than this are diarized as a stream (see {@link #diarize(float[], SpeakerCount)}).
     */
    public static final double LONG_RECORDING_SECONDS = 150;

    /**
     * Turns of a whole recording, samples in [-1, 1] at 16 kHz. Recordings longer than
     * {@value #LONG_RECORDING_SECONDS} s go through {@link StreamingDiarizer} (60 s windows,
     * speakers linked across windows): clustering a long recording in one piece over-splits
     * voices (measured: 4 voices came out as 31 speakers over 9 minutes, as 5 through windows).
     * There an exact speaker count is an upper bound.
     */
    public List<Turn> diarize(float[] samples, SpeakerCount count) {
        if (samples.length > LONG_RECORDING_SECONDS * MfccExtractor.SAMPLE_RATE) {
            StreamingDiarizer stream = new StreamingDiarizer(this, count, 2.0);
            int chunk = MfccExtractor.SAMPLE_RATE;
            for (int i = 0; i < samples.length; i += chunk) {
                stream.accept(java.util.Arrays.copyOfRange(samples, i, Math.min(samples.length, i + chunk)));
            }
            stream.finish();
            return stream.finalTurns();
        }
        Features features = MfccExtractor.extract(samples);
        boolean[] speech = SpeechDetector.detect(features.energyDb());
        return diarize(features, speech, count).turns();
    }

    /** Result of diarizing a stretch of frames: turns plus the per-frame labels behind them. */
    public record Result(List<Turn> turns, int[] frameLabels, double[] margins, int speakers) {
    }

    /**
     * Diarizes frames with given speech flags. Turn times are seconds from frame 0; speakers are
     * numbered in order of first appearance.
     */
    public Result diarize(Features features, boolean[] speech, SpeakerCount count) {
        int frames = features.frames();
        int[] labels = new int[frames];
        java.util.Arrays.fill(labels, -1);
        if (frames == 0) {
            return new Result(List.of(), labels, new double[frames], 0);
        }
        float[][] cepstra = features.cepstra();
        List<int[]> segments = new SpeakerChangeDetector(settings.changePenalty()).segments(cepstra, speech);
        if (segments.isEmpty()) {
            return new Result(List.of(), labels, new double[frames], 0);
        }
        List<GaussianStats> stats = new ArrayList<>();
        for (int[] seg : segments) {
            GaussianStats s = new GaussianStats(features.dimension());
            s.addAll(cepstra, seg[0], seg[1]);
            stats.add(s);
        }
        int[] cluster = new BicClustering(settings.bicPenalty()).cluster(stats, count);
        int speakers = 0;
        for (int i = 0; i < segments.size(); i++) {
            int[] seg = segments.get(i);
            java.util.Arrays.fill(labels, seg[0], seg[1], cluster[i]);
            speakers = Math.max(speakers, cluster[i] + 1);
        }
        double[] margin = new double[frames];
        java.util.Arrays.fill(margin, 10);
        Resegmenter resegmenter = new Resegmenter(settings.switchPenalty());
        for (int pass = 0; pass < 2; pass++) {
            resegmenter.refine(cepstra, labels, speakers, margin);
        }
        if (dropTinySpeakers(labels, speakers, count)) {
            resegmenter.refine(cepstra, labels, speakers, margin);
        }
        speakers = renumberByFirstAppearance(labels, speakers);
        return new Result(turns(labels, margin, speakers, 0), labels, margin, speakers);
    }

    /**
     * A "speaker" with under {@value #MIN_SPEAKER_FRAMES} frames (2 s) of speech is nearly always
     * a voice split by its phonetic content, not a person: its frames go to the speaker heard
     * just before them. Only while the count hint allows fewer speakers. Returns whether any
     * label changed.
     */
    private static boolean dropTinySpeakers(int[] labels, int speakers, SpeakerCount count) {
        int[] frames = new int[speakers];
        for (int l : labels) {
            if (l >= 0) {
                frames[l]++;
            }
        }
        int alive = 0;
        for (int f : frames) {
            if (f > 0) {
                alive++;
            }
        }
        boolean changed = false;
        for (int s = 0; s < speakers && alive > count.lower(); s++) {
            if (frames[s] == 0 || frames[s] >= MIN_SPEAKER_FRAMES) {
                continue;
            }
            int previous = -1;
            for (int t = 0; t < labels.length; t++) {
                if (labels[t] == s) {
                    int replacement = previous >= 0 ? previous : nextOtherLabel(labels, t, s);
                    if (replacement >= 0) {
                        labels[t] = replacement;
                    }
                } else if (labels[t] >= 0) {
                    previous = labels[t];
                }
            }
            alive--;
            changed = true;
        }
        return changed;
    }

    static final int MIN_SPEAKER_FRAMES = 200;

    private static int nextOtherLabel(int[] labels, int from, int other) {
        for (int t = from; t < labels.length; t++) {
            if (labels[t] >= 0 && labels[t] != other) {
                return labels[t];
            }
        }
        return -1;
    }

    /** Renumbers labels 0.. in order of first appearance, dropping unused ones; returns the count. */
    private static int renumberByFirstAppearance(int[] labels, int speakers) {
        int[] map = new int[Math.max(1, speakers)];
        java.util.Arrays.fill(map, -1);
        int next = 0;
        for (int t = 0; t < labels.length; t++) {
            int l = labels[t];
            if (l >= 0) {
                if (map[l] < 0) {
                    map[l] = next++;
                }
                labels[t] = map[l];
            }
        }
        return next;
    }

    /**
     * Turns from per-frame labels (-1 = no speech): runs of one label, bridging pauses up to
     * bridgeSeconds, dropping turns shorter than minTurnSeconds. Frame i of the arrays is frame
     * {@code firstFrame + i} of the stream.
     */
    List<Turn> turns(int[] labels, double[] margin, int speakers, long firstFrame) {
        int bridge = (int) Math.round(settings.bridgeSeconds() * Features.FRAME_RATE);
        List<Turn> turns = new ArrayList<>();
        int t = 0;
        while (t < labels.length) {
            if (labels[t] < 0) {
                t++;
                continue;
            }
            int speaker = labels[t];
            int start = t;
            int end = t;
            double marginSum = 0;
            int marginCount = 0;
            int u = t;
            while (u < labels.length) {
                if (labels[u] == speaker) {
                    end = u + 1;
                    marginSum += margin[u];
                    marginCount++;
                    u++;
                } else if (labels[u] < 0 && u - end < bridge) {
                    u++;
                } else {
                    break;
                }
            }
            // Continue after the turn's last frame: a pause longer than the bridge or another speaker.
            t = end;
            double seconds = (double) (end - start) / Features.FRAME_RATE;
            if (seconds >= settings.minTurnSeconds()) {
                double averageMargin = marginSum / Math.max(1, marginCount);
                double confidence = speakers < 2 ? 1.0 : 1 - Math.exp(-Math.max(0, averageMargin) / 5);
                turns.add(new Turn(speaker, frameTime(firstFrame + start), frameTime(firstFrame + end), confidence));
            }
        }
        return turns;
    }

    /** Time of a frame boundary in seconds: frame i covers the 10 ms from i × 10 ms, shifted to the window centre. */
    static double frameTime(long frame) {
        // A 25 ms window starting at i × 10 ms is centred 12.5 ms later; boundaries use the centre.
        return frame == 0 ? 0 : frame / (double) Features.FRAME_RATE + 0.0075;
    }
}
