package org.steno.models.diarize;

import java.util.ArrayList;
import java.util.List;

/**
 * Agglomerative clustering of segments with ΔBIC as the distance: repeatedly merges the two
 * clusters whose union is best explained by a single Gaussian, and stops when every remaining
 * pair is better explained as two voices (ΔBIC &gt; 0). The criterion decides the number of
 * speakers by itself and is invariant to any linear rescaling of the features, so short
 * streaming windows need no normalisation learned elsewhere. A speaker count hint overrides
 * the stopping rule: merging continues above the maximum and stops at the minimum.
 */
final class BicClustering {

    private final double penaltyWeight;

    BicClustering(double penaltyWeight) {
        this.penaltyWeight = penaltyWeight;
    }

    /**
     * ΔBIC per frame of the union. Ordering merges by the raw ΔBIC lets a big cluster swallow
     * small segments of other voices (the penalty outweighs their little evidence) and snowball;
     * per frame, a merge is judged by how well the voices match, while the sign — the
     * stopping rule — is unchanged.
     */
    private double distance(GaussianStats a, GaussianStats b) {
        return GaussianStats.deltaBic(a, b, penaltyWeight) / (a.count + b.count);
    }

    /** Cluster index (0..k-1) of each input; inputs are the statistics of each segment. */
    int[] cluster(List<GaussianStats> segments, SpeakerCount count) {
        int n = segments.size();
        int[] assignment = new int[n];
        if (n == 0) {
            return assignment;
        }
        List<GaussianStats> stats = new ArrayList<>();
        for (GaussianStats s : segments) {
            stats.add(s.copy());
        }
        boolean[] alive = new boolean[n];
        java.util.Arrays.fill(alive, true);
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        double[][] distance = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                distance[i][j] = distance(stats.get(i), stats.get(j));
            }
        }
        int clusters = n;
        int lower = count.lower();
        int upper = count.upper();
        while (clusters > 1) {
            int bestI = -1;
            int bestJ = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (!alive[i]) {
                    continue;
                }
                double[] row = distance[i];
                for (int j = i + 1; j < n; j++) {
                    if (alive[j] && row[j] < best) {
                        best = row[j];
                        bestI = i;
                        bestJ = j;
                    }
                }
            }
            boolean mustMerge = clusters > upper;
            boolean mayMerge = clusters > lower && best < 0;
            if (!mustMerge && !mayMerge) {
                break;
            }
            stats.get(bestI).merge(stats.get(bestJ));
            alive[bestJ] = false;
            parent[bestJ] = bestI;
            clusters--;
            for (int k = 0; k < n; k++) {
                if (alive[k] && k != bestI) {
                    double d = distance(stats.get(bestI), stats.get(k));
                    if (k < bestI) {
                        distance[k][bestI] = d;
                    } else {
                        distance[bestI][k] = d;
                    }
                }
            }
        }
        int[] label = new int[n];
        java.util.Arrays.fill(label, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int root = i;
            while (parent[root] != root) {
                root = parent[root];
            }
            if (label[root] < 0) {
                label[root] = next++;
            }
            assignment[i] = label[root];
        }
        return assignment;
    }
}
