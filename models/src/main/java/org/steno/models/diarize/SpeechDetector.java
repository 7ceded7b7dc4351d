package org.steno.models.diarize;

import java.util.Arrays;

/**
 * Energy-based speech detection on 10 ms frames, enough to find the stretches a diarizer must
 * label. The threshold adapts to the recording: it sits between the noise floor (10th
 * percentile of frame energies) and the speech level (95th percentile), and never more than
 * {@value #MAX_BELOW_PEAK_DB} dB below the speech level. Pauses shorter than
 * {@value #BRIDGE_FRAMES} frames inside speech are bridged and blips shorter than
 * {@value #MIN_SPEECH_FRAMES} frames are dropped, because a speaker turn does not stop at
 * every stop consonant.
 */
public final class SpeechDetector {

    static final double MAX_BELOW_PEAK_DB = 40;
    static final int BRIDGE_FRAMES = 25;
    static final int MIN_SPEECH_FRAMES = 8;
    /** Below this dB (relative to full scale) a frame is silence whatever the recording. */
    static final double ABSOLUTE_FLOOR_DB = -65;

    private SpeechDetector() {
    }

    /** Threshold in dB for the given distribution of frame energies. */
    public static double threshold(float[] energyDb, int from, int to) {
        if (to <= from) {
            return ABSOLUTE_FLOOR_DB;
        }
        float[] sorted = Arrays.copyOfRange(energyDb, from, to);
        Arrays.sort(sorted);
        double noise = sorted[(int) (0.10 * (sorted.length - 1))];
        double peak = sorted[(int) (0.95 * (sorted.length - 1))];
        double threshold = Math.max(noise + 0.3 * (peak - noise), peak - MAX_BELOW_PEAK_DB);
        return Math.max(threshold, ABSOLUTE_FLOOR_DB);
    }

    /** Speech flags for frames [from, to) of {@code energyDb} with the given threshold. */
    public static boolean[] detect(float[] energyDb, int from, int to, double thresholdDb) {
        int n = Math.max(0, to - from);
        boolean[] speech = new boolean[n];
        for (int i = 0; i < n; i++) {
            speech[i] = energyDb[from + i] > thresholdDb;
        }
        fillShortRuns(speech, false, BRIDGE_FRAMES);
        fillShortRuns(speech, true, MIN_SPEECH_FRAMES);
        return speech;
    }

    /** Speech flags for a whole recording, with a threshold from its own energies. */
    public static boolean[] detect(float[] energyDb) {
        return detect(energyDb, 0, energyDb.length, threshold(energyDb, 0, energyDb.length));
    }

    /** Flips runs of {@code value} shorter than {@code maxRun}; pauses only between two stretches of speech. */
    private static void fillShortRuns(boolean[] flags, boolean value, int maxRun) {
        int i = 0;
        while (i < flags.length) {
            if (flags[i] != value) {
                i++;
                continue;
            }
            int start = i;
            while (i < flags.length && flags[i] == value) {
                i++;
            }
            boolean interior = start > 0 && i < flags.length;
            // Pauses are bridged only between two stretches of speech; blips are removed anywhere.
            if (i - start < maxRun && (value || interior)) {
                Arrays.fill(flags, start, i, !value);
            }
        }
    }
}
