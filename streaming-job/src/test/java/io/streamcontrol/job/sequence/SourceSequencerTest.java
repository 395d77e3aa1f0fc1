package io.streamcontrol.job.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import io.streamcontrol.job.event.ParsedLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceSequencerTest {

    static final long LATENESS = 10_000;

    static ParsedLine event(long seq, long timeMillis) {
        SalesEvent e = new SalesEvent(seq, Instant.ofEpochMilli(timeMillis), 1, BigDecimal.ZERO, BigDecimal.ONE,
                BigDecimal.ONE, "c", "CA", "R1", "P1", BigDecimal.ZERO);
        return ParsedLine.accepted(0, seq, 0, e);
    }

    static SequencedBatch run(SourceState prior, ParsedLine... lines) {
        return SourceSequencer.sequence(prior, List.of(lines), LATENESS, LineFormat.CSV);
    }

    @Test
    void acceptsInSequenceOrderWhateverTheArrivalOrder() {
        SequencedBatch batch = run(SourceState.empty(0), event(3, 3_000), event(1, 1_000), event(2, 2_000));
        assertThat(batch.accepted()).extracting(ParsedLine::seq).containsExactly(1L, 2L, 3L);
        assertThat(batch.state().highestSeq()).isEqualTo(3);
        assertThat(batch.state().maxEventTime()).isEqualTo(3_000);
        assertThat(batch.state().accepted()).isEqualTo(3);
    }

    @Test
    void dropsReplayedSequencesAcrossAndWithinBatches() {
        SequencedBatch first = run(SourceState.empty(0), event(1, 1_000), event(2, 2_000));
        SequencedBatch second = run(first.state(), event(2, 2_000), event(3, 3_000), event(3, 3_000));
        assertThat(second.accepted()).extracting(ParsedLine::seq).containsExactly(3L);
        assertThat(second.state().duplicates()).isEqualTo(2);
        assertThat(second.state().accepted()).isEqualTo(3);
    }

    @Test
    void lateWithinLatenessIsAcceptedBeyondIsRejected() {
        SequencedBatch batch = run(SourceState.empty(0), event(1, 100_000), event(2, 91_000), event(3, 89_999),
                event(4, 100_500));
        assertThat(batch.accepted()).extracting(ParsedLine::seq).containsExactly(1L, 2L, 4L);
        assertThat(batch.rejected()).singleElement().satisfies(r -> {
            assertThat(r.seq()).isEqualTo(3);
            assertThat(r.rejectReason()).isEqualTo(SourceSequencer.TOO_LATE);
            assertThat(r.line()).startsWith("3,");
        });
        assertThat(batch.state().tooLate()).isEqualTo(1);
    }

    @Test
    void malformedLinesAreRejectedAndAdvanceTheSequence() {
        ParsedLine bad = ParsedLine.rejected(0, 2, 0, "negative quantity", "raw");
        SequencedBatch batch = run(SourceState.empty(0), event(1, 1_000), bad);
        assertThat(batch.rejected()).containsExactly(bad);
        assertThat(batch.state().malformed()).isEqualTo(1);
        assertThat(run(batch.state(), bad).rejected()).isEmpty();
    }

    @Test
    void theOutcomeDoesNotDependOnHowLinesFellIntoBatches() {
        List<ParsedLine> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long time = i % 17 == 0 ? i * 1_000L - 30_000 : i % 11 == 0 ? i * 1_000L - 5_000 : i * 1_000L;
            lines.add(event(i, time));
        }
        SequencedBatch whole = SourceSequencer.sequence(SourceState.empty(0), lines, LATENESS, LineFormat.CSV);
        SourceState state = SourceState.empty(0);
        List<Long> accepted = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += 7) {
            List<ParsedLine> slice = new ArrayList<>(lines.subList(from, Math.min(lines.size(), from + 7)));
            slice.addAll(lines.subList(Math.max(0, from - 3), from));
            SequencedBatch part = SourceSequencer.sequence(state, slice, LATENESS, LineFormat.CSV);
            part.accepted().forEach(l -> accepted.add(l.seq()));
            state = part.state();
        }
        assertThat(accepted).isEqualTo(whole.accepted().stream().map(ParsedLine::seq).toList());
        assertThat(state.tooLate()).isEqualTo(whole.state().tooLate()).isPositive();
    }
}
