package dev.tgregistry.bench.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The steady workload's skew: rank k drawn with probability ∝ 1/k^s. */
class ZipfTest {

    @Test
    void probabilitiesFollowThePowerLaw() {
        Zipf z = new Zipf(50_000, 1.1);
        double sum = 0;
        for (int k = 1; k <= z.size(); k++) {
            sum += z.probability(k);
        }
        assertEquals(1.0, sum, 1e-9);
        // p(1) / p(k) = k^s
        assertEquals(Math.pow(10, 1.1), z.probability(1) / z.probability(10), 1e-6);
        assertEquals(Math.pow(1000, 1.1), z.probability(1) / z.probability(1000), 1e-3);
    }

    @Test
    void drawsMatchTheProbabilities() {
        Zipf z = new Zipf(50_000, 1.1);
        SplittableRandom r = new SplittableRandom(1);
        int n = 1_000_000;
        int[] counts = new int[z.size() + 1];
        for (int i = 0; i < n; i++) {
            int k = z.next(r);
            assertTrue(k >= 1 && k <= z.size(), "rank " + k);
            counts[k]++;
        }
        for (int k : new int[]{1, 2, 10, 100}) {
            double expected = z.probability(k) * n;
            assertEquals(expected, counts[k], 5 * Math.sqrt(expected), "rank " + k);
        }
        // heavy head: the top 1% of users take well over half of the sightings at s = 1.1
        long top = 0;
        for (int k = 1; k <= 500; k++) {
            top += counts[k];
        }
        assertTrue(top > 0.5 * n, "top 500 ranks: " + top);
    }

    @Test
    void flatterExponentSpreadsTheDraws() {
        assertTrue(new Zipf(1000, 0.5).probability(1) < new Zipf(1000, 1.1).probability(1));
    }
}
