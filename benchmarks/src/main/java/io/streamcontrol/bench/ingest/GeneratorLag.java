package io.streamcontrol.bench.ingest;

/**
 * How far the generator's sending ran behind event time over a window (wall clock minus the event time of the newest
 * event sent): constant while the receivers keep reading, growing when they fall behind and TCP pushes back (or when
 * the generator itself cannot keep the pace).
 *
 * @param trend least-squares line of the lag (ms) over wall-clock time (ms)
 */
record GeneratorLag(long startMs, long endMs, long maxMs, Trend trend, long windowMs) {

    /** From samples (wall-clock ms, lag ms) within a window of {@code windowMs}. */
    static GeneratorLag of(long[] times, long[] lags, long windowMs) {
        if (times.length == 0) {
            return new GeneratorLag(-1, -1, -1, Trend.fit(new double[0], new double[0]), windowMs);
        }
        double[] x = new double[times.length];
        double[] y = new double[times.length];
        long max = Long.MIN_VALUE;
        for (int i = 0; i < times.length; i++) {
            x[i] = times[i];
            y[i] = lags[i];
            max = Math.max(max, lags[i]);
        }
        return new GeneratorLag(lags[0], lags[lags.length - 1], max, Trend.fit(x, y), windowMs);
    }

    /** The fitted rise of the lag over the window, ms. */
    double riseMs() {
        return trend.riseOver(windowMs);
    }
}
