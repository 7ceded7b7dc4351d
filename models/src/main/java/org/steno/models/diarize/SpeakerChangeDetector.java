package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts speech into segments that each hold one voice, the units clustering starts from.
 * Speech runs are split where the ΔBIC between the second before and the second after a point
 * says two Gaussians fit better than one (a local maximum above zero), then long pieces are cut
 * into {@value #MAX_SEGMENT_FRAMES}-frame chunks so one missed change cannot glue two speakers
 * together for good: clustering re-joins chunks of the same voice.
 */
final class SpeakerChangeDetector {

    static final int WINDOW_FRAMES = 100;
    static final int STEP_FRAMES = 10;
    static final int MIN_SEGMENT_FRAMES = 50;
    static final int MAX_SEGMENT_FRAMES = 200;

    private final double penaltyWeight;

    SpeakerChangeDetector(double penaltyWeight) {
        this.penaltyWeight = penaltyWeight;
    }

    /** Segments [from, to) of frame indices; each lies inside one speech run. */
    List<int[]> segments(float[][] cepstra, boolean[] speech) {
        List<int[]> out = new ArrayList<>();
        int t = 0;
        while (t < speech.length) {
            if (!speech[t]) {
                t++;
                continue;
            }
            int start = t;
            while (t < speech.length && speech[t]) {
                t++;
            }
            List<Integer> cuts = changePoints(cepstra, start, t);
            int previous = start;
            for (int cut : cuts) {
                chunk(previous, cut, out);
                previous = cut;
            }
            chunk(previous, t, out);
        }
        return out;
    }

    private List<Integer> changePoints(float[][] cepstra, int from, int to) {
        List<Integer> cuts = new ArrayList<>();
        if (to - from < 2 * MIN_SEGMENT_FRAMES) {
            return cuts;
        }
        int count = 0;
        List<double[]> scores = new ArrayList<>();
        for (int p = from + MIN_SEGMENT_FRAMES; p <= to - MIN_SEGMENT_FRAMES; p += STEP_FRAMES) {
            GaussianStats left = new GaussianStats(cepstra[0].length);
            left.addAll(cepstra, Math.max(from, p - WINDOW_FRAMES), p);
            GaussianStats right = new GaussianStats(cepstra[0].length);
            right.addAll(cepstra, p, Math.min(to, p + WINDOW_FRAMES));
            scores.add(new double[] {p, GaussianStats.deltaBic(left, right, penaltyWeight)});
            count++;
        }
        int lastCut = from;
        for (int i = 0; i < count; i++) {
            double score = scores.get(i)[1];
            boolean peak = score > 0
                    && (i == 0 || score >= scores.get(i - 1)[1])
                    && (i == count - 1 || score > scores.get(i + 1)[1]);
            int p = (int) scores.get(i)[0];
            if (peak && p - lastCut >= MIN_SEGMENT_FRAMES) {
                cuts.add(p);
                lastCut = p;
            }
        }
        return cuts;
    }

    private static void chunk(int from, int to, List<int[]> out) {
        int length = to - from;
        if (length <= 0) {
            return;
        }
        int pieces = Math.max(1, (int) Math.ceil((double) length / MAX_SEGMENT_FRAMES));
        for (int i = 0; i < pieces; i++) {
            int a = from + (int) ((long) length * i / pieces);
            int b = from + (int) ((long) length * (i + 1) / pieces);
            out.add(new int[] {a, b});
        }
    }
}
