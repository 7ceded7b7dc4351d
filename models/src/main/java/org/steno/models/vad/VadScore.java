package org.steno.models.vad;

/** Frame-level agreement of a detector with reference labels. */
public record VadScore(long frames, long truePositive, long falsePositive, long trueNegative, long falseNegative) {

    public static VadScore of(boolean[] reference, boolean[] detected) {
        int n = Math.min(reference.length, detected.length);
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < n; i++) {
            if (reference[i] && detected[i]) {
                tp++;
            } else if (!reference[i] && detected[i]) {
                fp++;
            } else if (!reference[i]) {
                tn++;
            } else {
                fn++;
            }
        }
        return new VadScore(n, tp, fp, tn, fn);
    }

    public VadScore plus(VadScore o) {
        return new VadScore(frames + o.frames, truePositive + o.truePositive, falsePositive + o.falsePositive,
                trueNegative + o.trueNegative, falseNegative + o.falseNegative);
    }

    public double accuracy() {
        return frames == 0 ? 0 : (truePositive + trueNegative) / (double) frames;
    }

    public double precision() {
        return truePositive + falsePositive == 0 ? 0 : truePositive / (double) (truePositive + falsePositive);
    }

    public double recall() {
        return truePositive + falseNegative == 0 ? 0 : truePositive / (double) (truePositive + falseNegative);
    }
}
