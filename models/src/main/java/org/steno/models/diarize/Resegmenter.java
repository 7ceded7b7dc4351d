package org.steno.models.diarize;

/**
 * Refines frame labels: fits one full-covariance Gaussian per speaker on the frames currently
 * labelled with it, then relabels every speech frame with a Viterbi pass that charges
 * {@code switchPenalty} (log-likelihood units) for each change of speaker — a quarter of it at
 * a pause, where turns usually change. Segment-level clustering puts boundaries to within a
 * segment; this puts them to within a few frames and recovers short turns.
 */
final class Resegmenter {

    static final int PAUSE_FRAMES = 10;

    private final double switchPenalty;

    Resegmenter(double switchPenalty) {
        this.switchPenalty = switchPenalty;
    }

    /**
     * @param labels speaker per frame (-1 for non-speech), updated in place
     * @param margin out: per frame, log-likelihood of the chosen speaker minus the best other one
     */
    void refine(float[][] cepstra, int[] labels, int speakers, double[] margin) {
        if (speakers < 2) {
            return;
        }
        int d = cepstra[0].length;
        GaussianStats[] stats = new GaussianStats[speakers];
        for (int s = 0; s < speakers; s++) {
            stats[s] = new GaussianStats(d);
        }
        for (int t = 0; t < labels.length; t++) {
            if (labels[t] >= 0) {
                stats[labels[t]].add(cepstra[t]);
            }
        }
        GaussianStats.Gaussian[] models = new GaussianStats.Gaussian[speakers];
        for (int s = 0; s < speakers; s++) {
            // A speaker with almost no frames cannot be modelled; it keeps no frames.
            models[s] = stats[s].count >= 2 * d ? stats[s].toGaussian() : null;
        }
        int frames = labels.length;
        int[] speechIndex = new int[frames];
        int speechFrames = 0;
        for (int t = 0; t < frames; t++) {
            if (labels[t] >= 0) {
                speechIndex[speechFrames++] = t;
            }
        }
        if (speechFrames == 0) {
            return;
        }
        double[][] score = new double[speechFrames][speakers];
        for (int i = 0; i < speechFrames; i++) {
            float[] x = cepstra[speechIndex[i]];
            for (int s = 0; s < speakers; s++) {
                score[i][s] = models[s] == null ? Double.NEGATIVE_INFINITY : models[s].logLikelihood(x);
            }
        }
        int[][] back = new int[speechFrames][speakers];
        double[] cost = score[0].clone();
        double[] next = new double[speakers];
        for (int i = 1; i < speechFrames; i++) {
            boolean pause = speechIndex[i] - speechIndex[i - 1] > PAUSE_FRAMES;
            double penalty = pause ? switchPenalty / 4 : switchPenalty;
            int bestPrev = 0;
            for (int s = 1; s < speakers; s++) {
                if (cost[s] > cost[bestPrev]) {
                    bestPrev = s;
                }
            }
            for (int s = 0; s < speakers; s++) {
                double stay = cost[s];
                double move = cost[bestPrev] - penalty;
                if (stay >= move || bestPrev == s) {
                    next[s] = stay + score[i][s];
                    back[i][s] = s;
                } else {
                    next[s] = move + score[i][s];
                    back[i][s] = bestPrev;
                }
            }
            System.arraycopy(next, 0, cost, 0, speakers);
        }
        int state = 0;
        for (int s = 1; s < speakers; s++) {
            if (cost[s] > cost[state]) {
                state = s;
            }
        }
        for (int i = speechFrames - 1; i >= 0; i--) {
            int t = speechIndex[i];
            labels[t] = state;
            double other = Double.NEGATIVE_INFINITY;
            for (int s = 0; s < speakers; s++) {
                if (s != state) {
                    other = Math.max(other, score[i][s]);
                }
            }
            margin[t] = score[i][state] - other;
            state = back[i][state];
        }
    }
}
