package io.streamcontrol.job.batch;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.job.cassandra.CassandraSink;
import io.streamcontrol.job.cassandra.CurrentConnection;
import io.streamcontrol.job.event.LineParser;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.seed.SeedStore;
import io.streamcontrol.job.seed.StateSeed;
import io.streamcontrol.job.sequence.SourceState;
import io.streamcontrol.job.source.ReceivedLine;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each batch on the driver, one after the other, and commits it:
 * <ol>
 *   <li>one task per source reads its lines in order, decides duplicates and lateness from the source's committed
 *   marks, writes raw events and rejects, and returns its marks and cell sums ({@link SourceScan});</li>
 *   <li>the rollup state, which lives here and holds aggregates only, takes the cell sums; the whole values that
 *   changed are written by the driver ({@link CassandraSink#changes});</li>
 *   <li>the commit: every source's marks with the batch's write time, one logged batch
 *   ({@link CassandraSink#commit}).</li>
 * </ol>
 * A restarted driver starts from the last commit: the state is rebuilt from the tables ({@link SeedStore}, rows written
 * after the commit taken at their value before it) and the sources replay from the committed sequences. A batch that
 * fails leaves the state ahead of the commit, so every later batch fails too and the driver must be restarted.
 */
public final class BatchRunner implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    private final JobSettings settings;
    private final CassandraSink sink;

    /** Everything below is the driver's own, rebuilt from the tables by the first batch of a run. */
    private transient Progress progress;
    private transient CompletableFuture<Progress> preparing;
    private transient Throwable failure;

    /** The committed marks of every source and the rollup state after the last committed batch. */
    private static final class Progress {
        final Map<Integer, SourceState> marks = new TreeMap<>();
        final AnalyticsState analytics;
        final CqlSession session;
        final SourceScan scan;
        long lastBatchTime = Long.MIN_VALUE;
        long lastWriteTime;

        Progress(AnalyticsState analytics, CqlSession session, SourceScan scan) {
            this.analytics = analytics;
            this.session = session;
            this.scan = scan;
        }
    }

    public BatchRunner(JobSettings settings) {
        this.settings = settings;
        this.sink = new CassandraSink(settings.keyspace(), settings.jobName());
    }

    /**
     * Processes and commits one batch; {@code bySource} has one partition per source, in the order received. Batches
     * are committed in time order, whatever spark.streaming.concurrentJobs allows.
     */
    public synchronized void run(JavaRDD<ReceivedLine> bySource, long batchTime) throws InterruptedException {
        if (failure != null) {
            throw new IllegalStateException("an earlier batch failed, so this driver's state is past its last commit:"
                    + " the job must be restarted from the commit", failure);
        }
        try {
            long interval = settings.batchInterval().toMillis();
            while (progress != null && progress.lastBatchTime != Long.MIN_VALUE
                    && batchTime - interval > progress.lastBatchTime && failure == null) {
                wait(interval);
            }
            Progress p = progress();
            // the batch's rows are stamped with the time it is processed, which grows from batch to batch and from
            // run to run (also when a recovered driver processes an old batch again): the newer write always wins
            long writeTime = Math.max(System.currentTimeMillis(), p.lastWriteTime + 1);
            process(p, JavaSparkContext.fromSparkContext(bySource.context()), bySource, writeTime);
            p.lastBatchTime = batchTime;
            p.lastWriteTime = writeTime;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            notifyAll();
        }
    }

    private void process(Progress p, JavaSparkContext sc, JavaRDD<ReceivedLine> bySource, long writeTime) {
        Map<Integer, SourceState> prior = new TreeMap<>(p.marks);
        SourceScan scan = p.scan;
        List<SourceScan.Result> results = bySource.mapPartitionsWithIndex((source, lines) ->
                List.of(scan.scan(prior.get(source), lines)).iterator(), true).collect();

        List<AnalyticsInput> inputs = new ArrayList<>();
        List<SourceState> marks = new ArrayList<>(results.size());
        for (SourceScan.Result result : results) {
            inputs.addAll(result.cells());
            inputs.add(new AnalyticsInput.SourceProgress(result.marks()));
            marks.add(result.marks());
        }
        Analytics.Step step = Analytics.apply(p.analytics, inputs, analyticsConfig());
        sink.changes(sc.getConf(), step.changes(), writeTime);
        boolean hadInput = marks.stream().anyMatch(m -> !m.equals(prior.get(m.source())));
        if (hadInput) {
            PausePoint.BEFORE_COMMIT.reached();
        }
        sink.commit(p.session, marks, writeTime, settings.outputConsistency());
        marks.forEach(m -> p.marks.put(m.source(), m));
        if (hadInput) {
            PausePoint.AFTER_COMMIT.reached();
        }
    }

    /**
     * Starts rebuilding the state from the tables now, on another thread, rather than in the first batch: a start
     * then spends the wait for its first batch time on it. Call before the streaming context starts.
     */
    public synchronized void prepare() {
        if (progress == null && preparing == null) {
            ClassLoader jobClasses = Thread.currentThread().getContextClassLoader();
            preparing = CompletableFuture.supplyAsync(() -> {
                try {
                    Progress seeded = seeded(System.currentTimeMillis());
                    warmUp(seeded.scan);
                    return seeded;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while rebuilding the state from the tables", e);
                }
            }, task -> {
                Thread seeding = new Thread(task, "state-seed");
                seeding.setDaemon(true);
                seeding.setContextClassLoader(jobClasses); // spark-submit's loader, which holds the job jar
                seeding.start();
            });
        }
    }

    /**
     * The runner of a streaming context restarted with {@code next}, after this runner's context stopped with every
     * received line committed. It keeps this runner's state when the restart changes nothing the state is computed
     * from; otherwise it rebuilds the state from the tables, as a start does.
     */
    public synchronized BatchRunner continuedWith(JobSettings next) throws InterruptedException {
        BatchRunner continued = new BatchRunner(next);
        Progress p = failure == null ? progress() : null;
        if (p != null && JobSettings.sameComputation(settings, next)) {
            p.lastBatchTime = Long.MIN_VALUE;
            continued.progress = p;
        } else if (p != null) {
            p.session.close();
        }
        return continued;
    }

    /**
     * Runs a source's scan over no lines in one task, so that the first batch finds the task path, the parser and the
     * connector's writers loaded and their statements prepared: on a cold driver that took the first batch seconds.
     */
    private void warmUp(SourceScan scan) {
        try {
            JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate())
                    .parallelize(List.of(0), 1)
                    .foreachPartition(nothing -> scan.scan(SourceState.empty(0), Collections.emptyIterator()));
        } catch (RuntimeException e) {
            LOG.warn("Warming up the batch path failed (the first batch will do it): {}", e.toString());
        }
    }

    private Progress progress() throws InterruptedException {
        if (progress == null) {
            if (preparing == null) {
                progress = seeded(System.currentTimeMillis());
            } else {
                try {
                    progress = preparing.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        }
        return progress;
    }

    /** The state as of the last commit; this run's batches write at {@code firstWriteTime} or later. */
    private Progress seeded(long firstWriteTime) throws InterruptedException {
        CqlSession session = CurrentConnection.get().openSession();
        Optional<StateSeed.Seed> seed = new SeedStore(session, settings.keyspace(), settings.jobName(),
                DefaultConsistencyLevel.valueOf(settings.readConsistency()),
                DefaultConsistencyLevel.valueOf(settings.outputConsistency()))
                .seed(analyticsConfig(), settings.receivers(), firstWriteTime);
        var conf = JavaSparkContext.fromSparkContext(org.apache.spark.SparkContext.getOrCreate()).getConf();
        SourceScan scan = new SourceScan(new LineParser(settings.sourceFormat(), settings.maxLineLength()),
                settings.sourceFormat(), settings.lateness().toMillis(), analyticsConfig(),
                sink.rawEventWriter(conf), sink.rejectWriter(conf));
        Progress p = new Progress(seed.map(StateSeed.Seed::analytics).orElseGet(AnalyticsState::empty), session,
                scan);
        p.lastWriteTime = firstWriteTime - 1;
        for (int source = 0; source < settings.receivers(); source++) {
            p.marks.put(source, SourceState.empty(source));
        }
        seed.ifPresent(s -> s.sources().forEach(m -> p.marks.put(m.source(), m)));
        LOG.info("Job {} resumes from its last commit: {}", settings.jobName(), p.marks.values());
        return p;
    }

    private AnalyticsConfig analyticsConfig() {
        return AnalyticsConfig.of(settings);
    }
}
