package io.streamcontrol.generator;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Draws ranks 0..size-1 with probability proportional to 1 / (rank + 1)^exponent; exponent 0 is uniform. */
final class ZipfSampler {

    private final double[] cumulative;

    ZipfSampler(int size, double exponent) {
        cumulative = new double[size];
        double total = 0;
        for (int rank = 0; rank < size; rank++) {
            total += Math.pow(rank + 1, -exponent);
            cumulative[rank] = total;
        }
        for (int rank = 0; rank < size; rank++) {
            cumulative[rank] /= total;
        }
        cumulative[size - 1] = 1.0;
    }

    int sample(SplittableRandom random) {
        double u = random.nextDouble();
        int found = Arrays.binarySearch(cumulative, u);
        // the rank is the first whose cumulative probability exceeds u
        int rank = found >= 0 ? found + 1 : -found - 1;
        return Math.min(rank, cumulative.length - 1);
    }
}
