package io.streamcontrol.bench.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The search for the highest sustained rate, by bisection: without a bracket it doubles from a start rate until a
 * rate is not sustained (or halves until one is), then bisects [lo, hi] geometrically until hi/lo is below the
 * precision or the step budget is spent; the highest sustained probe is then confirmed by full-length repetitions.
 * A failed confirmation makes that rate the new upper bound and the search goes on below it. Pure: the caller runs
 * each {@link Step} and reports its outcome.
 */
final class RateSearch {

    /** Below this the search gives up: no rate of interest is sustained. */
    static final int MIN_RATE = 100;

    /** What to do next. */
    sealed interface Step permits Probe, Confirm, Finished {
    }

    /** Measure one (possibly shorter) probe window at {@code rate}. */
    record Probe(int rate) implements Step {
    }

    /** Measure the full-length windows x repetitions at {@code rate}; all must be sustained. */
    record Confirm(int rate) implements Step {
    }

    /** The search is over; {@code claimed} is 0 when no rate was confirmed, {@code why} says how it ended. */
    record Finished(int claimed, String why) implements Step {
        boolean hasClaim() {
            return claimed > 0;
        }
    }

    /** One line of the search's history, for the report. */
    record Event(String kind, int rate, boolean sustained, String bracket) {
    }

    private final double precision;
    private final int maxProbes;
    private final int maxConfirmations;
    private final int startRate;
    /** Highest rate known (or, from a given bracket, assumed) sustained; 0 = none. */
    private int lo;
    /** Lowest rate known (or assumed) not sustained; 0 = none. */
    private int hi;
    /** Whether hi was measured (not just given as the bracket's upper end). */
    private boolean hiMeasured;
    /** Rates that held in a probe, and the bracket's assumed lower end: the lower bounds to fall back to. */
    private final TreeSet<Integer> sustainedProbes = new TreeSet<>();
    private final List<Event> history = new ArrayList<>();
    private int probes;
    private int confirmations;
    private Finished finished;
    private Step pending;

    private RateSearch(int startRate, int lo, int hi, double precision, int maxProbes, int maxConfirmations) {
        if (precision <= 1) {
            throw new IllegalArgumentException("precision must be above 1, was " + precision);
        }
        this.startRate = startRate;
        this.lo = lo;
        this.hi = hi;
        if (lo > 0) {
            sustainedProbes.add(lo); // a lower bound until a confirmation says otherwise
        }
        this.precision = precision;
        this.maxProbes = maxProbes;
        this.maxConfirmations = maxConfirmations;
    }

    /** Doubling (or halving) from {@code startRate} until a bracket is found, then bisection. */
    static RateSearch from(int startRate, double precision, int maxProbes, int maxConfirmations) {
        if (startRate < MIN_RATE) {
            throw new IllegalArgumentException("start rate must be at least " + MIN_RATE + ", was " + startRate);
        }
        return new RateSearch(startRate, 0, 0, precision, maxProbes, maxConfirmations);
    }

    /**
     * Bisection of a given bracket: {@code lo} is taken to be sustained and {@code hi} not, until a measurement says
     * otherwise (lo is measured at the latest by the confirmation; hi is never measured unless the search moves up).
     */
    static RateSearch within(int lo, int hi, double precision, int maxProbes, int maxConfirmations) {
        if (lo < MIN_RATE || hi <= lo) {
            throw new IllegalArgumentException("bracket must satisfy " + MIN_RATE + " <= lo < hi, was " + lo + "," + hi);
        }
        return new RateSearch(0, lo, hi, precision, maxProbes, maxConfirmations);
    }

    /** The next step; the same step again until its outcome is reported. */
    Step next() {
        if (finished != null) {
            return finished;
        }
        if (pending != null) {
            return pending;
        }
        pending = decide();
        if (pending instanceof Finished f) {
            finished = f;
        }
        return pending;
    }

    private Step decide() {
        boolean budgetLeft = probes < maxProbes;
        if (lo == 0 && hi == 0) {
            return budgetLeft ? new Probe(startRate) : candidate();
        }
        if (lo == 0) {
            int lower = round(hi / 2.0);
            if (lower < MIN_RATE) {
                return new Finished(0, "no rate down to " + MIN_RATE + "/s was sustained");
            }
            return budgetLeft ? new Probe(lower) : candidate();
        }
        if (hi == 0) {
            return budgetLeft ? new Probe(lo * 2) : candidate();
        }
        if (hi / (double) lo < precision) {
            return candidate();
        }
        int mid = round(Math.sqrt((double) lo * hi));
        if (mid <= lo || mid >= hi || !budgetLeft) {
            return candidate();
        }
        return new Probe(mid);
    }

    /** Confirm the highest sustained rate, or finish. */
    private Step candidate() {
        if (lo == 0) {
            return new Finished(0, "no sustained rate found within " + maxProbes + " probe steps");
        }
        if (confirmations >= maxConfirmations) {
            return new Finished(0, "no rate confirmed within " + maxConfirmations + " confirmations");
        }
        return new Confirm(lo);
    }

    /** The outcome of the pending {@link Probe}. */
    void probed(boolean sustained) {
        Probe probe = (Probe) requirePending(Probe.class);
        probes++;
        if (sustained) {
            lo = probe.rate();
            sustainedProbes.add(probe.rate());
        } else {
            hi = probe.rate();
            hiMeasured = true;
            if (lo >= hi) { // an assumed lower bound turned out too high
                lo = below(hi);
            }
        }
        history.add(new Event("probe", probe.rate(), sustained, bracket()));
        pending = null;
    }

    /** The outcome of the pending {@link Confirm}: whether every repetition was sustained. */
    void confirmed(boolean allSustained) {
        Confirm confirm = (Confirm) requirePending(Confirm.class);
        confirmations++;
        if (allSustained) {
            history.add(new Event("confirm", confirm.rate(), true, bracket()));
            finished = new Finished(confirm.rate(), hi == 0
                    ? "confirmed; no unsustained rate was measured above it (the ceiling lies higher)"
                    : String.format(Locale.ROOT, "confirmed; %,d/s %s (hi/lo %.3f)", hi, hiMeasured
                            ? "was not sustained" : "is the bracket's upper end, assumed not sustained",
                            hi / (double) confirm.rate()));
            pending = finished;
            return;
        }
        hi = confirm.rate();
        hiMeasured = true;
        sustainedProbes.tailSet(hi).clear(); // probes at or above a rate that did not hold are not lower bounds
        lo = below(hi);
        history.add(new Event("confirm", confirm.rate(), false, bracket()));
        pending = null;
    }

    private Step requirePending(Class<? extends Step> type) {
        if (!type.isInstance(pending)) {
            throw new IllegalStateException("no pending " + type.getSimpleName() + " (pending: " + pending + ")");
        }
        return pending;
    }

    /** The highest sustained probe (or the bracket's lower end) below {@code rate}; 0 = none. */
    private int below(int rate) {
        Integer lower = sustainedProbes.lower(rate);
        return lower == null ? 0 : lower;
    }

    private String bracket() {
        return "[" + (lo == 0 ? "-" : lo) + ", " + (hi == 0 ? "-" : hi) + "]";
    }

    List<Event> history() {
        return List.copyOf(history);
    }

    /** Three significant digits (14,142 -> 14,100; 1,414 -> 1,410), so rates stay readable. */
    static int round(double rate) {
        if (rate < 1000) {
            return (int) Math.round(rate);
        }
        double unit = Math.pow(10, Math.floor(Math.log10(rate)) - 2);
        return (int) (Math.round(rate / unit) * unit);
    }
}
