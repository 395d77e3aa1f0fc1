package io.streamcontrol.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.job.rollup.AnalyticsChanges.Ranked;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SlidingTopNTest {

    /** Top 2 over windows of two 1-minute slides. */
    static final AnalyticsConfig CONFIG = new AnalyticsConfig(List.of(Dimension.PRODUCT), List.of(Granularity.MINUTE),
            2, 120_000, 60_000, 30_000, 1);

    static Ranked ranked(String key, String saleSum) {
        return new Ranked(key, new BigDecimal(saleSum));
    }

    @Test
    void aRankedWindowIsRankedAgainFromItsRankingAndTheKeysThatChanged() {
        SlidingTopN topN = new SlidingTopN();
        topN.add(0, "A", new BigDecimal("5"));
        topN.add(0, "B", new BigDecimal("4"));
        topN.add(60_000, "C", new BigDecimal("3"));
        assertThat(topN.rank(120_000, CONFIG, Stream.empty())).containsExactly(ranked("A", "5"), ranked("B", "4"));

        topN.add(0, "C", new BigDecimal("2.00"));
        assertThat(topN.rank(120_000, CONFIG, Stream.of("C")))
                .as("C's sum over both slides ties with A's, and A goes first by key")
                .containsExactly(ranked("A", "5"), ranked("C", "5.00"));
        assertThat(topN.rankings()).containsOnlyKeys(120_000L);
    }

    @Test
    void whatNoEventCanChangeIsDropped() {
        SlidingTopN topN = new SlidingTopN();
        for (long start = 0; start <= 240_000; start += 60_000) {
            topN.add(start, "A", BigDecimal.ONE);
            topN.rank(start + 60_000, CONFIG, Stream.of("A"));
        }
        topN.closeBefore(180_000, CONFIG);
        assertThat(topN.slides()).containsOnlyKeys(60_000L, 120_000L, 180_000L, 240_000L);
        assertThat(topN.rankings()).as("windows ending after 180,000 can still change")
                .containsOnlyKeys(240_000L, 300_000L);
        assertThat(topN.frozenSlideStarts()).as("the slides that end by 180,000 are read, never changed")
                .containsExactly(60_000L, 120_000L);
    }

    @Test
    void frozenSlidesRankAsBeforeAndAChangeThawsThem() {
        SlidingTopN topN = new SlidingTopN();
        SlidingTopN reference = new SlidingTopN();
        for (SlidingTopN t : List.of(topN, reference)) {
            t.add(0, "A", new BigDecimal("5"));
            t.add(0, "B", new BigDecimal("1E+3"));
            t.add(60_000, "C", new BigDecimal("3"));
            t.add(60_000, "A", new BigDecimal("0.25"));
        }
        topN.closeBefore(60_000, CONFIG);
        assertThat(topN.frozenSlideStarts()).containsExactly(0L);
        assertThat(topN).isEqualTo(reference);
        assertThat(topN.rank(120_000, CONFIG, Stream.empty()))
                .isEqualTo(reference.rank(120_000, CONFIG, Stream.empty()))
                .containsExactly(ranked("B", "1E+3"), ranked("A", "5.25"));

        topN.add(0, "C", new BigDecimal("2"));
        reference.add(0, "C", new BigDecimal("2"));
        assertThat(topN.frozenSlideStarts()).isEmpty();
        assertThat(topN).isEqualTo(reference);
    }

    @Test
    void sumsThatDoNotPackRankExactlyAmongTheOthers() {
        SlidingTopN topN = new SlidingTopN();
        topN.add(0, "A", new BigDecimal("1E+3"));
        topN.add(60_000, "A", new BigDecimal("0.5"));
        topN.add(0, "B", new BigDecimal("1000.50"));
        topN.add(0, "C", new BigDecimal("999999999999999999"));
        assertThat(topN.rank(120_000, CONFIG, Stream.empty()))
                .as("A's 1E+3 + 0.5 ties with B's 1000.50 and goes second by key")
                .containsExactly(ranked("C", "999999999999999999"), ranked("A", "1000.5"));
        topN.add(60_000, "B", new BigDecimal("0.000000000000001"));
        assertThat(topN.rank(120_000, CONFIG, Stream.of("B")))
                .containsExactly(ranked("C", "999999999999999999"), ranked("B", "1000.500000000000001"));
        assertThat(topN.slides().get(0L)).containsEntry("A", new BigDecimal("1E+3"));
    }
}
