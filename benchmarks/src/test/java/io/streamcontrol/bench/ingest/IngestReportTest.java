package io.streamcontrol.bench.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.bench.harness.CpuUsage;
import io.streamcontrol.bench.harness.Markdown;
import io.streamcontrol.bench.ingest.IngestRun.Subject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestReportTest {

    static final Duration FIVE = Duration.ofSeconds(5);

    private static SearchOutcome outcome(Subject subject, int claimed) {
        return new SearchOutcome(subject, FIVE, 100, new RateSearch.Finished(claimed, "test"), List.of(), List.of());
    }

    private static final Optional<CassandraWriteLimit.Result> LIMIT = Optional.of(new CassandraWriteLimit.Result(
            CassandraWriteLimit.BATCHED, 32, 40, 400_000, Duration.ofSeconds(10), 0, "", List.of()));

    @Test
    void theVerdictLineComparesTheJobWithCassandraAndTheBaseline() {
        assertThat(IngestReport.verdictLine(Optional.of(outcome(Subject.JOB, 12_000)),
                Optional.of(outcome(Subject.BASELINE, 8_000)), Optional.empty(), LIMIT))
                .isEqualTo("job 12,000 events/s = 30% of Cassandra's batched limit = 1.50× the baseline job"
                        + " (8,000 events/s)");
    }

    @Test
    void theVerdictLineSaysWhatIsMissing() {
        assertThat(IngestReport.verdictLine(Optional.of(outcome(Subject.JOB, 0)), Optional.empty(), Optional.empty(), Optional.empty()))
                .isEqualTo("job (no rate confirmed) events/s = ?% of Cassandra's batched limit = ?× the baseline job"
                        + " (baseline not measured)");
        assertThat(IngestReport.verdictLine(Optional.of(outcome(Subject.JOB, 5_000)),
                Optional.of(outcome(Subject.BASELINE, 0)), Optional.empty(), LIMIT))
                .isEqualTo("job 5,000 events/s = 13% of Cassandra's batched limit = ?× the baseline job"
                        + " (baseline: no rate confirmed)");
    }

    @Test
    void withASustainedLimitTheShareIsOfItAndTheShortOneStandsBesideIt() {
        Optional<CassandraWriteLimit.Result> sustained = Optional.of(new CassandraWriteLimit.Result(
                CassandraWriteLimit.BATCHED, 32, 40, 18_000_000, Duration.ofMinutes(10), 0, "",
                List.of(2_400_000L, 1_800_000L)));
        assertThat(IngestReport.verdictLine(Optional.of(outcome(Subject.JOB, 15_000)),
                Optional.of(outcome(Subject.BASELINE, 5_000)), sustained, LIMIT))
                .isEqualTo("job 15,000 events/s = 50% of Cassandra's sustained batched limit (38% of its best short"
                        + " measurement) = 3.00× the baseline job (5,000 events/s)");

        IngestReport report = new IngestReport(IngestBenchmarkOptions.parse("--batch-intervals", "5s"), "test");
        report.cassandraLimits("end", List.of(LIMIT.get()));
        report.sustainedLimit(sustained.get(), new CpuUsage.Usage(java.util.Map.of("cassandra", 360_000L,
                "compaction", 36_000L, "harness", 90_000L), 500_000, 100_000, 600_000),
                new CassandraMetrics.Counts(18_000_000, 450_000, 450_000, 0, 7));
        report.finished();
        assertThat(report.markdown())
                .contains("as long as a job's window", "**30,000 rows/s** (18,000,000 rows, 0 failed requests)")
                .contains("| 1 | 40,000 |\n| 2 | 30,000 |")
                .contains("CPU per row over it: Cassandra 20.0 µs (of it its compaction threads 2.0 µs), the writing"
                        + " client (harness JVM) 5.0 µs; machine idle 17%")
                .contains("Compaction tasks pending: 0 before, 7 after.");
        assertThat(report.cassandraLimitCsv()).contains("\"sustained\",\"async unlogged batches by partition\",32,40.00,"
                + "18000000,600000,30000.00,0");
    }

    @Test
    void markdownTablesEscapeTheirCells() {
        assertThat(Markdown.table(List.of("a", "b"), List.of(List.of("1|2", "x\ny"))))
                .isEqualTo("| a | b |\n| --- | --- |\n| 1\\|2 | x<br>y |\n");
    }

    @Test
    void aShortRunSaysItIsNoResult() {
        IngestBenchmarkOptions smoke = IngestBenchmarkOptions.parse("--duration", "1m", "--repetitions", "1", "--batch-intervals", "5s");
        IngestReport report = new IngestReport(smoke, "benchmarks/run-ingest-benchmark.sh --duration 1m");
        report.cassandraLimits("start", List.of(LIMIT.get()));
        report.search(outcome(Subject.JOB, 2_000));
        report.search(outcome(Subject.BASELINE, 1_000));
        report.finished();
        String md = report.markdown();
        assertThat(md).startsWith("# Ingest benchmark, ")
                .contains("**SHORT RUN - not a result**")
                .contains("- **5s batches: job 2,000 events/s = 5% of Cassandra's batched limit = 2.00× the baseline job"
                        + " (1,000 events/s)**")
                .contains("| command | `benchmarks/run-ingest-benchmark.sh --duration 1m` |")
                .contains("| async unlogged batches by partition | 32 batches in flight, 40.0 rows/batch | 40,000 |");
        assertThat(report.resultFileName()).matches("ingest-\\d{4}-\\d{2}-\\d{2}\\.md");
        assertThat(IngestBenchmarkOptions.parse().fullLength()).isTrue();
        assertThat(smoke.fullLength()).isFalse();
    }

    @Test
    void aJobRunWhoseTablesAreNotExactFailsTheBenchmark() {
        IngestBenchmarkOptions options = IngestBenchmarkOptions.parse("--batch-intervals", "5s");
        IngestReport report = new IngestReport(options, "test");
        IngestRun.Spec spec = new IngestRun.Spec(Subject.JOB, FIVE, 20_000, Duration.ofMinutes(10), "confirm", 1, 100);
        ExactnessCheck.Result check = new ExactnessCheck.Result(false,
                List.of("raw_events DIFFERS: 9 rows, 10 expected, 1 missing; e.g. order_id 7 missing",
                        "rollups: 40 rows, all as expected"), new long[] {8, 9}, 10, 49, 1_000);
        IngestRun.Result run = new IngestRun.Result(1, spec, "bench_r1", null, null, List.of("what it wrote is not exact"),
                null, null, null, List.of(), null, -1, check, null, List.of(), 0, 0, 0, null, null,
                "stopped gracefully in 3 s, exit code 0", true, null, null);
        assertThat(run.sustained()).isFalse();
        assertThat(run.failed()).isTrue();
        report.run(run);
        report.search(new SearchOutcome(Subject.JOB, FIVE, 100, new RateSearch.Finished(0, "test"), List.of(), List.of(run)));
        report.finished();
        assertThat(report.hasFailures()).isTrue();
        assertThat(report.markdown())
                .contains("- Exactness: 0 of 1 job runs stopped gracefully with exact tables - **1 NOT EXACT or unchecked**")
                .contains("- FAILURE: run 1 (job at 20,000/s, 5s batches): tables not exact: raw_events DIFFERS: 9 rows,"
                        + " 10 expected, 1 missing; e.g. order_id 7 missing")
                .contains("| 1 | confirm 1 | 20,000 | 10m | **NO** |");
        assertThat(report.runsCsv().lines()).hasSize(2).last().asString()
                .startsWith("1,job,5000,100,confirm,1,20000,600000,false,true,,,")
                .endsWith(",-1,false,\"stopped gracefully in 3 s, exit code 0\",\"what it wrote is not exact\"");
        assertThat(report.gcCsv()).isEqualTo("run,subject,time,in_window,kind,heap_before_mb,heap_after_mb,"
                + "heap_committed_mb,pause_ms\n");
    }

    @Test
    void aKeySpaceNotSustainedAtTheClaimShowsItsWindowAtTheFloor() {
        IngestBenchmarkOptions options = IngestBenchmarkOptions.parse("--batch-intervals", "5s");
        assertThat(options.keySpaceFloor()).isEqualTo(0.8);
        assertThat(options.keySpaceRate()).as("this run's claim").isZero();
        assertThat(IngestBenchmarkOptions.parse("--key-space-rate", "50800").keySpaceRate()).isEqualTo(50_800);
        assertThatThrownBy(() -> IngestBenchmarkOptions.parse("--key-space-rate", "5"))
                .hasMessageContaining("--key-space-rate");
        IngestReport report = new IngestReport(options, "test");
        IngestRun.Result atClaim = keySpaceRun(1, 50_000, "key space", List.of("processing 5.2 s on average"));
        IngestRun.Result atFloor = keySpaceRun(2, 40_000, "key space floor", List.of());
        report.keySpace(new IngestReport.KeySpace(1_000, 50_000, atClaim, atFloor, null, null));
        assertThat(report.markdown())
                .contains("- Key space 1,000 products at 50,000/s (5 s batches): NOT sustained; heap after GC -;"
                        + " at 40,000/s (80% of the claim): sustained, heap after GC -")
                .contains("| 1,000 | 50,000 | **NO** | - | 40,000/s (80%): yes | not searched (--key-space-bisect) |")
                .contains("| 2 | key space floor | 40,000 | 10m | yes |");
    }

    private static IngestRun.Result keySpaceRun(int index, int rate, String purpose, List<String> unsustained) {
        IngestRun.Spec spec = new IngestRun.Spec(Subject.JOB, FIVE, rate, Duration.ofMinutes(10), purpose, 1, 1_000);
        return new IngestRun.Result(index, spec, "bench_r" + index, BatchFigures.of(List.of(), 0, 600_000, FIVE), null,
                unsustained, null, null, null, List.of(), null, -1, null, null, List.of(), 0, 600_000, 0, null, null,
                "stopped gracefully in 3 s, exit code 0", true, null, null);
    }

    @Test
    void theBaselineKeysLinesByTheirFirstField() {
        assertThat(io.streamcontrol.bench.baseline.BaselineJob.orderId("123,2026-01-01T00:00:00Z,3")).isEqualTo(123L);
        assertThat(io.streamcontrol.bench.baseline.BaselineJob.orderId("xxxx")).isNull();
        assertThat(io.streamcontrol.bench.baseline.BaselineJob.orderId(",1")).isNull();
        assertThat(io.streamcontrol.bench.baseline.BaselineJob.orderId("99999999999999999999,1")).isNull();
    }
}
