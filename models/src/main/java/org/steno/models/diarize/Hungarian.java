package org.steno.models.diarize;

import java.util.Arrays;

/** Optimal assignment (Kuhn–Munkres, O(n³)) maximising the total weight of a rectangular matrix. */
final class Hungarian {

    private Hungarian() {
    }

    /**
     * @param weight rows × columns, non-negative
     * @return for each row, the assigned column or -1 (more rows than columns)
     */
    static int[] maximise(double[][] weight) {
        int rows = weight.length;
        int cols = rows == 0 ? 0 : weight[0].length;
        int n = Math.max(rows, cols);
        double max = 0;
        for (double[] r : weight) {
            for (double w : r) {
                max = Math.max(max, w);
            }
        }
        // Minimise cost = max - weight on a square matrix padded with zero-weight cells.
        double[][] cost = new double[n + 1][n + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= n; j++) {
                double w = i <= rows && j <= cols ? weight[i - 1][j - 1] : 0;
                cost[i][j] = max - w;
            }
        }
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] matchOfColumn = new int[n + 1];
        int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            matchOfColumn[0] = i;
            int column = 0;
            double[] minSlack = new double[n + 1];
            Arrays.fill(minSlack, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[n + 1];
            do {
                used[column] = true;
                int row = matchOfColumn[column];
                double delta = Double.POSITIVE_INFINITY;
                int nextColumn = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double slack = cost[row][j] - u[row] - v[j];
                        if (slack < minSlack[j]) {
                            minSlack[j] = slack;
                            way[j] = column;
                        }
                        if (minSlack[j] < delta) {
                            delta = minSlack[j];
                            nextColumn = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[matchOfColumn[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minSlack[j] -= delta;
                    }
                }
                column = nextColumn;
            } while (matchOfColumn[column] != 0);
            do {
                int previous = way[column];
                matchOfColumn[column] = matchOfColumn[previous];
                column = previous;
            } while (column != 0);
        }
        int[] result = new int[rows];
        Arrays.fill(result, -1);
        for (int j = 1; j <= n; j++) {
            int i = matchOfColumn[j];
            if (i >= 1 && i <= rows && j <= cols) {
                result[i - 1] = j - 1;
            }
        }
        return result;
    }
}
