package org.steno.models.diarize;

/**
 * Sufficient statistics (count, sum, sum of outer products) of feature frames, from which a
 * full-covariance Gaussian follows. Merging two sets of frames is adding their statistics, so
 * clustering never goes back to the frames.
 */
final class GaussianStats {

    /** Variance added to the diagonal, relative to the mean variance, so short stretches stay invertible. */
    private static final double RIDGE = 1e-3;

    final int dimension;
    long count;
    final double[] sum;
    /** Row-major d × d sum of x xᵀ. */
    final double[] outer;

    GaussianStats(int dimension) {
        this.dimension = dimension;
        this.sum = new double[dimension];
        this.outer = new double[dimension * dimension];
    }

    void add(float[] x) {
        count++;
        int d = dimension;
        for (int i = 0; i < d; i++) {
            double xi = x[i];
            sum[i] += xi;
            int row = i * d;
            for (int j = i; j < d; j++) {
                outer[row + j] += xi * x[j];
            }
        }
    }

    void addAll(float[][] frames, int from, int to) {
        for (int t = from; t < to; t++) {
            add(frames[t]);
        }
    }

    void merge(GaussianStats other) {
        count += other.count;
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.sum[i];
        }
        for (int i = 0; i < outer.length; i++) {
            outer[i] += other.outer[i];
        }
    }

    GaussianStats copy() {
        GaussianStats c = new GaussianStats(dimension);
        c.merge(this);
        return c;
    }

    static GaussianStats combined(GaussianStats a, GaussianStats b) {
        GaussianStats c = a.copy();
        c.merge(b);
        return c;
    }

    /** Mean vector. */
    double[] mean() {
        double[] m = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            m[i] = sum[i] / Math.max(1, count);
        }
        return m;
    }

    /** Lower Cholesky factor (row-major) of the regularised covariance. */
    double[] choleskyOfCovariance() {
        int d = dimension;
        double n = Math.max(1, count);
        double[] mean = mean();
        double[] cov = new double[d * d];
        double trace = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                double c = outer[i * d + j] / n - mean[i] * mean[j];
                cov[i * d + j] = c;
                cov[j * d + i] = c;
            }
            trace += cov[i * d + i];
        }
        double ridge = RIDGE * Math.max(trace / d, 1e-6);
        for (int i = 0; i < d; i++) {
            cov[i * d + i] += ridge;
        }
        return cholesky(cov, d);
    }

    /** log |Σ| of the regularised covariance. */
    double logDeterminant() {
        double[] l = choleskyOfCovariance();
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            sum += Math.log(l[i * dimension + i]);
        }
        return 2 * sum;
    }

    /**
     * ΔBIC of modelling a ∪ b with one Gaussian instead of two: positive means two different
     * sources explain the frames better (a speaker change / two speakers), negative means one.
     * {@code penaltyWeight} is the usual λ (1 in theory; larger merges more).
     */
    static double deltaBic(GaussianStats a, GaussianStats b, double penaltyWeight) {
        GaussianStats ab = combined(a, b);
        int d = a.dimension;
        double n = ab.count;
        double likelihoodGain = 0.5 * (n * ab.logDeterminant() - a.count * a.logDeterminant() - b.count * b.logDeterminant());
        double parameters = d + d * (d + 1) / 2.0;
        return likelihoodGain - penaltyWeight * 0.5 * parameters * Math.log(n);
    }

    private static double[] cholesky(double[] a, int d) {
        double[] l = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * d + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * d + k] * l[j * d + k];
                }
                if (i == j) {
                    l[i * d + i] = Math.sqrt(Math.max(s, 1e-12));
                } else {
                    l[i * d + j] = s / l[j * d + j];
                }
            }
        }
        return l;
    }

    /** A Gaussian ready to score frames: mean, Cholesky factor and normalising constant. */
    Gaussian toGaussian() {
        return new Gaussian(mean(), choleskyOfCovariance(), dimension);
    }

    static final class Gaussian {
        private final double[] mean;
        private final double[] chol;
        private final int d;
        private final double logNorm;
        private final double[] work;

        Gaussian(double[] mean, double[] chol, int d) {
            this.mean = mean;
            this.chol = chol;
            this.d = d;
            double logDet = 0;
            for (int i = 0; i < d; i++) {
                logDet += Math.log(chol[i * d + i]);
            }
            this.logNorm = -0.5 * d * Math.log(2 * Math.PI) - logDet;
            this.work = new double[d];
        }

        /** Log density of one frame. Not thread-safe (reuses a work array). */
        double logLikelihood(float[] x) {
            // Solve L y = x - mean; the Mahalanobis distance is |y|².
            double q = 0;
            for (int i = 0; i < d; i++) {
                double s = x[i] - mean[i];
                for (int k = 0; k < i; k++) {
                    s -= chol[i * d + k] * work[k];
                }
                double y = s / chol[i * d + i];
                work[i] = y;
                q += y * y;
            }
            return logNorm - 0.5 * q;
        }
    }
}
