package io.streamcontrol.bench.ingest;

import java.time.Duration;
import java.util.List;

/**
 * How one rate search ended: the claimed rate (0 = none), why, its steps, and every run it made.
 *
 * @param products the generator's products during the search
 */
record SearchOutcome(IngestRun.Subject subject, Duration batchInterval, int products, RateSearch.Finished finished,
        List<RateSearch.Event> history, List<IngestRun.Result> runs) {

    boolean hasClaim() {
        return finished.hasClaim();
    }

    int claimed() {
        return finished.claimed();
    }

    /** The full-length runs that confirmed the claimed rate. */
    List<IngestRun.Result> confirmations() {
        return runs.stream().filter(r -> r.spec().purpose().equals("confirm") && r.spec().rate() == claimed()).toList();
    }
}
