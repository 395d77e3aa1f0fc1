package io.streamcontrol.job;

import com.datastax.spark.connector.cql.CassandraConnector;
import io.streamcontrol.job.cassandra.CassandraSink;
import io.streamcontrol.job.cassandra.CassandraSink.TopNEntry;
import io.streamcontrol.job.config.JobSettings;
import io.streamcontrol.job.event.LineFormat;
import io.streamcontrol.job.event.LineParser;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.event.SalesEvent;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsChanges;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.seed.SeedSnapshot;
import io.streamcontrol.job.sequence.SequencedBatch;
import io.streamcontrol.job.sequence.SourceSequencer;
import io.streamcontrol.job.sequence.SourceState;
import io.streamcontrol.job.source.ReceivedLine;
import io.streamcontrol.job.source.ResumableSocketReceiver;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function3;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.State;
import org.apache.spark.streaming.StateSpec;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import scala.Tuple2;

/**
 * The job's DStream graph: receivers → parse → per-source sequencing (dedupe, lateness) → raw events and rejects,
 * and per-batch cell aggregates → the rollup state machine → whole-value rollups, running totals and top-N.
 */
public final class Pipeline {

    private static final int ANALYTICS_KEY = 0;

    private Pipeline() {
    }

    /** The settings the rollup state machine depends on. */
    public static AnalyticsConfig analyticsConfig(JobSettings settings) {
        return new AnalyticsConfig(settings.dimensions(), settings.granularities(), settings.topN(),
                settings.topNWindow().toMillis(), settings.topNSlide().toMillis(), settings.lateness().toMillis(),
                settings.receivers());
    }

    /**
     * A new streaming context with the whole graph; used by {@code getOrCreate} when there is no checkpoint. A key of
     * either state step (a source, the analytics state) that has no state yet starts from {@code seed}: empty, or what
     * a start without a checkpoint rebuilt from the job's tables.
     */
    public static JavaStreamingContext createContext(SparkConf conf, JobSettings settings, SeedSnapshot seed) {
        JavaStreamingContext ssc = new JavaStreamingContext(conf, Durations.milliseconds(settings.batchInterval().toMillis()));
        ssc.checkpoint(settings.checkpoint());
        CassandraConnector connector = CassandraConnector.apply(conf);
        CassandraSink sink = new CassandraSink(settings.keyspace(), settings.jobName());

        List<JavaDStream<ReceivedLine>> streams = new ArrayList<>();
        for (int source = 0; source < settings.receivers(); source++) {
            streams.add(ssc.receiverStream(new ResumableSocketReceiver(settings.sourceHost(), settings.sourcePort(),
                    source, settings.receivers(), settings.resume(), settings.maxLineLength(),
                    settings.blockInterval().toMillis(), settings.stopPollInterval().toMillis(), connector, settings.keyspace(),
                    settings.jobName())));
        }
        @SuppressWarnings("unchecked")
        JavaDStream<ReceivedLine> received = ssc.union(streams.toArray(JavaDStream[]::new));

        LineParser parser = new LineParser(settings.sourceFormat(), settings.maxLineLength());
        JavaDStream<ParsedLine> parsed = received.map(line -> toParsed(parser, line));

        long lateness = settings.lateness().toMillis();
        LineFormat format = settings.sourceFormat();
        Function3<Integer, Optional<Iterable<ParsedLine>>, State<SourceState>, SequencedBatch> sequence =
                (source, lines, state) -> {
                    SourceState prior = state.exists() ? state.get() : seed.source(source);
                    SequencedBatch batch = SourceSequencer.sequence(prior, lines.orElse(List.of()), lateness, format);
                    state.update(batch.state());
                    return batch;
                };
        JavaDStream<SequencedBatch> sequenced = parsed
                .mapToPair(line -> new Tuple2<>(line.source(), line))
                .groupByKey(settings.receivers())
                .mapWithState(StateSpec.function(sequence).numPartitions(settings.receivers()));

        JavaDStream<SalesEvent> accepted = sequenced.flatMap(b -> b.accepted().stream().map(ParsedLine::event).iterator());
        JavaDStream<ParsedLine> rejected = sequenced.flatMap(b -> b.rejected().iterator());
        JavaDStream<SourceState> progress = sequenced.map(SequencedBatch::state);

        AnalyticsConfig config = analyticsConfig(settings);
        JavaDStream<AnalyticsInput> cellUpdates = accepted.mapPartitions(events -> Analytics.aggregate(events, config).iterator());
        JavaDStream<AnalyticsInput> inputs = cellUpdates.union(progress.map(AnalyticsInput.SourceProgress::new));

        Function3<Integer, Optional<Iterable<AnalyticsInput>>, State<AnalyticsState>, AnalyticsChanges> analyze =
                (key, batch, state) -> {
                    AnalyticsState prior = state.exists() ? state.get() : seed.analytics();
                    Analytics.Step step = Analytics.apply(prior, batch.orElse(List.of()), config);
                    state.update(step.state());
                    return step.changes();
                };
        JavaDStream<AnalyticsChanges> changes = inputs
                .mapToPair(input -> new Tuple2<>(ANALYTICS_KEY, input))
                .groupByKey(1)
                .mapWithState(StateSpec.function(analyze).numPartitions(1));

        accepted.foreachRDD(rdd -> sink.rawEvents(rdd));
        rejected.foreachRDD(rdd -> sink.rejects(rdd));
        changes.foreachRDD((rdd, time) -> {
            sink.buckets(rdd.flatMap(c -> c.buckets().iterator()), time.milliseconds());
            sink.totals(rdd.flatMap(c -> c.totals().iterator()), time.milliseconds());
            sink.topN(rdd.flatMap(c -> c.windows().stream().flatMap(w -> IntStream.rangeClosed(1, w.ranking().size())
                    .mapToObj(rank -> new TopNEntry(w, rank))).iterator()), time.milliseconds());
        });
        progress.foreachRDD((rdd, time) -> sink.sources(rdd, time.milliseconds()));
        return ssc;
    }

    private static ParsedLine toParsed(LineParser parser, ReceivedLine line) {
        LineParser.Result result = parser.parse(line.payload());
        return result.event() != null
                ? ParsedLine.accepted(line.source(), line.seq(), line.receivedAt(), result.event())
                : ParsedLine.rejected(line.source(), line.seq(), line.receivedAt(), result.rejectReason(), line.payload());
    }
}
