package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Diarization error rate the NIST way (md-eval): time within {@code collar} seconds of any
 * reference boundary is not scored, overlapping speech is scored (a frame with two reference
 * speakers counts twice), and hypothesis speakers are mapped one-to-one to reference speakers
 * so as to maximise the time they agree (Hungarian algorithm). Time is sampled every
 * millisecond.
 *
 * <pre>
 * DER = (missed + false alarm + confusion) / reference speech, where per scored instant
 *   missed     = max(0, Nref − Nhyp)
 *   falseAlarm = max(0, Nhyp − Nref)
 *   confusion  = min(Nref, Nhyp) − Ncorrect (mapped pairs speaking together)
 * </pre>
 */
public final class DerScorer {

    /** Collar of the NIST evaluations and of issue #4: 0.25 s each side. */
    public static final double STANDARD_COLLAR = 0.25;

    /** Seconds of each error kind; {@code der()} is their sum over {@code referenceSpeech}. */
    public record Result(double referenceSpeech, double missed, double falseAlarm, double confusion, double scoredTime,
                         Map<String, String> mapping) {
        public double der() {
            return referenceSpeech == 0 ? (missed + falseAlarm + confusion == 0 ? 0 : 1) : (missed + falseAlarm + confusion) / referenceSpeech;
        }

        public double missedRate() {
            return referenceSpeech == 0 ? 0 : missed / referenceSpeech;
        }

        public double falseAlarmRate() {
            return referenceSpeech == 0 ? 0 : falseAlarm / referenceSpeech;
        }

        public double confusionRate() {
            return referenceSpeech == 0 ? 0 : confusion / referenceSpeech;
        }
    }

    private final double collar;

    public DerScorer(double collar) {
        if (collar < 0) {
            throw new IllegalArgumentException("collar must be >= 0 seconds, got " + collar);
        }
        this.collar = collar;
    }

    public DerScorer() {
        this(STANDARD_COLLAR);
    }

    public Result score(List<Rttm.Segment> reference, List<Rttm.Segment> hypothesis) {
        Map<String, Integer> refIds = ids(reference);
        Map<String, Integer> hypIds = ids(hypothesis);
        double endSeconds = 0;
        for (Rttm.Segment s : reference) {
            endSeconds = Math.max(endSeconds, s.end());
        }
        for (Rttm.Segment s : hypothesis) {
            endSeconds = Math.max(endSeconds, s.end());
        }
        int length = ms(endSeconds) + 1;
        long[] ref = new long[length];
        long[] hyp = new long[length];
        paint(reference, refIds, ref);
        paint(hypothesis, hypIds, hyp);
        boolean[] excluded = new boolean[length];
        int collarMs = ms(collar);
        if (collarMs > 0) {
            for (Rttm.Segment s : reference) {
                for (int boundary : new int[] {ms(s.start()), ms(s.end())}) {
                    int from = Math.max(0, boundary - collarMs);
                    int to = Math.min(length, boundary + collarMs);
                    for (int t = from; t < to; t++) {
                        excluded[t] = true;
                    }
                }
            }
        }
        double[][] agreement = new double[refIds.size()][hypIds.size()];
        for (int t = 0; t < length; t++) {
            if (excluded[t] || ref[t] == 0 || hyp[t] == 0) {
                continue;
            }
            for (int r = 0; r < refIds.size(); r++) {
                if ((ref[t] & (1L << r)) != 0) {
                    for (int h = 0; h < hypIds.size(); h++) {
                        if ((hyp[t] & (1L << h)) != 0) {
                            agreement[r][h]++;
                        }
                    }
                }
            }
        }
        int[] mapped = Hungarian.maximise(agreement);
        long[] refMaskOfHyp = new long[hypIds.size()];
        for (int r = 0; r < mapped.length; r++) {
            if (mapped[r] >= 0) {
                refMaskOfHyp[mapped[r]] = 1L << r;
            }
        }
        long refSpeech = 0;
        long missed = 0;
        long falseAlarm = 0;
        long confusion = 0;
        long scored = 0;
        for (int t = 0; t < length; t++) {
            if (excluded[t]) {
                continue;
            }
            scored++;
            int nRef = Long.bitCount(ref[t]);
            int nHyp = Long.bitCount(hyp[t]);
            long mappedHyp = 0;
            long h = hyp[t];
            while (h != 0) {
                int bit = Long.numberOfTrailingZeros(h);
                mappedHyp |= refMaskOfHyp[bit];
                h &= h - 1;
            }
            int correct = Long.bitCount(mappedHyp & ref[t]);
            refSpeech += nRef;
            missed += Math.max(0, nRef - nHyp);
            falseAlarm += Math.max(0, nHyp - nRef);
            confusion += Math.min(nRef, nHyp) - correct;
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        List<String> refNames = new ArrayList<>(refIds.keySet());
        List<String> hypNames = new ArrayList<>(hypIds.keySet());
        for (int r = 0; r < mapped.length; r++) {
            if (mapped[r] >= 0 && agreement[r][mapped[r]] > 0) {
                mapping.put(hypNames.get(mapped[r]), refNames.get(r));
            }
        }
        return new Result(refSpeech / 1000.0, missed / 1000.0, falseAlarm / 1000.0, confusion / 1000.0, scored / 1000.0, mapping);
    }

    private static Map<String, Integer> ids(List<Rttm.Segment> segments) {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Rttm.Segment s : segments) {
            ids.computeIfAbsent(s.speaker(), k -> ids.size());
        }
        if (ids.size() > 64) {
            throw new IllegalArgumentException("at most 64 speakers can be scored, got " + ids.size());
        }
        return ids;
    }

    private static void paint(List<Rttm.Segment> segments, Map<String, Integer> ids, long[] timeline) {
        for (Rttm.Segment s : segments) {
            long bit = 1L << ids.get(s.speaker());
            for (int t = ms(s.start()); t < ms(s.end()); t++) {
                timeline[t] |= bit;
            }
        }
    }

    private static int ms(double seconds) {
        return (int) Math.round(seconds * 1000);
    }
}
