package io.streamcontrol.testkit;

import io.streamcontrol.generator.GeneratorSettings;
import io.streamcontrol.generator.SalesEventSource;
import java.util.Map;
import java.util.Set;

/**
 * What the job must keep of a count-limited generator's lines, from the recomputation ({@link ExpectedResults}): the
 * accepted order ids, the running totals and the number of rejected lines.
 */
public final class AcceptedLines {

    private final long[] lastSeqs;
    private final ExpectedResults expected;

    private AcceptedLines(long[] lastSeqs, ExpectedResults expected) {
        this.lastSeqs = lastSeqs;
        this.expected = expected;
    }

    /** The lines 0..count-1 of {@code settings}, split over {@code partitions} sources, with the job's lateness. */
    public static AcceptedLines of(GeneratorSettings settings, int partitions, long latenessMillis) {
        SalesEventSource source = new SalesEventSource(settings);
        long[] last = ExpectedResults.lastSeqs(settings.count(), partitions);
        return new AcceptedLines(last, new ExpectedResults(n -> source.line(n).event(), last, latenessMillis));
    }

    /** The last sequence of each source partition: processed_seq of every partition once the job took everything. */
    public long[] lastSeqs() {
        return lastSeqs.clone();
    }

    public Set<Long> acceptedIds() {
        return expected.acceptedIds;
    }

    public int malformed() {
        return expected.malformedSeqs.size();
    }

    public int tooLate() {
        return expected.tooLateSeqs.size();
    }

    /** "dimension|key" -> "count/quantity/sum/min/max", as running_totals must hold them. */
    public Map<String, String> totals() {
        return expected.totals;
    }

    /** The text {@link #totals()} uses for one running_totals row. */
    public static String aggregateText(long count, long quantity, java.math.BigDecimal sum, java.math.BigDecimal min,
            java.math.BigDecimal max) {
        return count + "/" + quantity + "/" + ExpectedResults.plain(sum) + "/" + ExpectedResults.plain(min) + "/"
                + ExpectedResults.plain(max);
    }
}
