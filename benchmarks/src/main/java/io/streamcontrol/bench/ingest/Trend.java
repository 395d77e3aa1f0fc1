package io.streamcontrol.bench.ingest;

/**
 * A least-squares straight line through (x, y) points: how a series moves over a window, robust to a single outlier
 * in a way that "last value minus first" is not.
 *
 * @param slope   y units per x unit; NaN with fewer than two distinct x
 * @param atEnd   the fitted y at the largest x
 */
record Trend(int points, double slope, double atEnd) {

    static Trend fit(double[] x, double[] y) {
        int n = Math.min(x.length, y.length);
        if (n < 2) {
            return new Trend(n, Double.NaN, n == 1 ? y[0] : Double.NaN);
        }
        double meanX = 0;
        double meanY = 0;
        double maxX = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            meanX += x[i];
            meanY += y[i];
            maxX = Math.max(maxX, x[i]);
        }
        meanX /= n;
        meanY /= n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (y[i] - meanY);
        }
        if (sxx == 0) {
            return new Trend(n, Double.NaN, meanY);
        }
        double slope = sxy / sxx;
        return new Trend(n, slope, meanY + slope * (maxX - meanX));
    }

    /** How much the fitted line rises over {@code span} x units (negative when it falls); NaN without a slope. */
    double riseOver(double span) {
        return slope * span;
    }
}
