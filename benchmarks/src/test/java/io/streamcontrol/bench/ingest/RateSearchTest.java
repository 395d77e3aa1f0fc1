package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class RateSearchTest {

    /** Runs a search against a machine that sustains exactly the rates {@code sustains} accepts; the steps taken. */
    private static List<String> drive(RateSearch search, IntPredicate sustains, IntPredicate confirms) {
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RateSearch.Step step = search.next();
            if (step instanceof RateSearch.Probe p) {
                steps.add("probe " + p.rate());
                search.probed(sustains.test(p.rate()));
            } else if (step instanceof RateSearch.Confirm c) {
                steps.add("confirm " + c.rate());
                search.confirmed(confirms.test(c.rate()));
            } else {
                RateSearch.Finished f = (RateSearch.Finished) step;
                steps.add("finished " + f.claimed());
                return steps;
            }
        }
        throw new AssertionError("search did not end: " + steps);
    }

    @Test
    void doublesUntilARateFailsThenBisectsGeometricallyAndConfirms() {
        RateSearch search = RateSearch.from(5_000, 1.1, 10, 2);
        List<String> steps = drive(search, r -> r <= 13_000, r -> r <= 13_000);
        assertThat(steps).containsExactly("probe 5000", "probe 10000", "probe 20000",
                "probe 14100", // sqrt(10000 * 20000) = 14142, three significant digits
                "probe 11900", // sqrt(10000 * 14100) = 11874
                "probe 13000", // sqrt(11900 * 14100) = 12953; then 14100 / 13000 < 1.1
                "confirm 13000", "finished 13000");
        assertThat(search.history()).last().extracting(RateSearch.Event::kind, RateSearch.Event::sustained)
                .containsExactly("confirm", true);
    }

    @Test
    void stopsOnceHiOverLoIsBelowThePrecision() {
        List<String> steps = drive(RateSearch.from(1_000, 1.5, 10, 1), r -> r <= 2_500, r -> true);
        // 1000 ok, 2000 ok, 4000 no -> [2000, 4000] ratio 2; 2830 no -> ratio 1.415 < 1.5
        assertThat(steps).containsExactly("probe 1000", "probe 2000", "probe 4000", "probe 2830", "confirm 2000",
                "finished 2000");
    }

    @Test
    void halvesWhenTheStartRateIsNotSustained() {
        List<String> steps = drive(RateSearch.from(8_000, 1.1, 3, 1), r -> r <= 1_500, r -> true);
        assertThat(steps).containsExactly("probe 8000", "probe 4000", "probe 2000", "finished 0");
    }

    @Test
    void givesUpBelowTheMinimumRate() {
        List<String> steps = drive(RateSearch.from(400, 1.1, 10, 1), r -> false, r -> false);
        assertThat(steps).containsExactly("probe 400", "probe 200", "probe 100", "finished 0");
    }

    @Test
    void aNarrowBracketGoesStraightToConfirmingItsLowerEnd() {
        RateSearch search = RateSearch.within(2_000, 2_100, 1.1, 5, 1);
        List<String> steps = drive(search, r -> true, r -> true);
        assertThat(steps).containsExactly("confirm 2000", "finished 2000");
        assertThat(((RateSearch.Finished) search.next()).why())
                .isEqualTo("confirmed; 2,100/s is the bracket's upper end, assumed not sustained (hi/lo 1.050)");
    }

    @Test
    void aFailedConfirmationLowersTheUpperBoundAndTheSearchGoesOnBelow() {
        // probes at 3 min pass up to 12,000, but only 10,000 holds for the full-length windows
        List<String> steps = drive(RateSearch.within(8_000, 16_000, 1.1, 10, 3), r -> r <= 12_000, r -> r <= 10_000);
        assertThat(steps).containsExactly("probe 11300", "probe 13400", "probe 12300", "confirm 11300",
                // [8000 (the bracket's lower end, still assumed), 11300]
                "probe 9510", "probe 10400", "confirm 10400",
                // [9510, 10400]: below the precision, so the best probe below is confirmed
                "confirm 9510", "finished 9510");
    }

    @Test
    void theStepBudgetEndsBisectionWithAConfirmationOfTheBestSoFar() {
        List<String> steps = drive(RateSearch.from(1_000, 1.01, 3, 1), r -> r <= 3_000, r -> true);
        assertThat(steps).containsExactly("probe 1000", "probe 2000", "probe 4000", "confirm 2000", "finished 2000");
    }

    @Test
    void confirmationsAreBudgetedToo() {
        List<String> steps = drive(RateSearch.within(2_000, 2_100, 1.1, 0, 1), r -> true, r -> false);
        assertThat(steps).containsExactly("confirm 2000", "finished 0");
    }

    @Test
    void reportsAnOutcomeOnlyForThePendingStep() {
        RateSearch search = RateSearch.from(1_000, 1.1, 5, 1);
        assertThat(search.next()).isEqualTo(new RateSearch.Probe(1_000));
        assertThat(search.next()).as("the same step until answered").isEqualTo(new RateSearch.Probe(1_000));
        assertThatThrownBy(() -> search.confirmed(true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void roundsToThreeSignificantDigits() {
        assertThat(RateSearch.round(14_142.1)).isEqualTo(14_100);
        assertThat(RateSearch.round(1_414.2)).isEqualTo(1_410);
        assertThat(RateSearch.round(141_421)).isEqualTo(141_000);
        assertThat(RateSearch.round(707.1)).isEqualTo(707);
    }
}
