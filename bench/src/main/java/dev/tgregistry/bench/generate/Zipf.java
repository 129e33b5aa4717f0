package dev.tgregistry.bench.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf-like ranks: rank k (1-based, 1..n) drawn with probability proportional to 1 / k^s. Inverse-CDF sampling
 * over a precomputed cumulative table (n doubles), so a draw is one binary search.
 */
public final class Zipf {
    private final double[] cumulative;

    public Zipf(int n, double s) {
        if (n < 1 || s <= 0) {
            throw new IllegalArgumentException("n " + n + ", s " + s);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 1; k <= n; k++) {
            sum += 1 / Math.pow(k, s);
            cumulative[k - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
        cumulative[n - 1] = 1.0;
    }

    int size() {
        return cumulative.length;
    }

    /** Probability of rank {@code k} (1-based). */
    double probability(int k) {
        return cumulative[k - 1] - (k == 1 ? 0 : cumulative[k - 2]);
    }

    /** A rank in [1, n]. */
    public int next(SplittableRandom random) {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        return (i >= 0 ? i : -i - 1) + 1;
    }
}
