package io.streamcontrol.job.kryo;

import com.esotericsoftware.kryo.Kryo;
import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.job.batch.SourceScan;
import io.streamcontrol.job.cassandra.CassandraSink;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.rollup.Aggregate;
import io.streamcontrol.job.rollup.AnalyticsChanges;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.rollup.Cell;
import io.streamcontrol.job.sequence.SequencedBatch;
import io.streamcontrol.job.sequence.SourceState;
import io.streamcontrol.job.source.ReceivedLine;
import java.util.List;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the job's records with Kryo (spark.kryo.registrator): the write-ahead log, blocks spilled to disk and task
 * results are serialized with Kryo, several times faster than Java serialization.
 */
public final class JobKryoRegistrator implements KryoRegistrator {

    private static final List<Class<? extends Record>> RECORDS = List.of(
            ParsedLine.class, SalesEvent.class, SourceState.class, SequencedBatch.class,
            Cell.class, Aggregate.class, AnalyticsInput.CellUpdate.class, AnalyticsInput.SourceProgress.class,
            AnalyticsState.TotalKey.class, AnalyticsChanges.class,
            AnalyticsChanges.BucketValue.class, AnalyticsChanges.TotalValue.class, AnalyticsChanges.TopNWindow.class,
            AnalyticsChanges.Ranked.class, SourceScan.Result.class,
            CassandraSink.TopNEntry.class);

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ReceivedLine.class, new ReceivedLineSerializer());
        for (Class<? extends Record> type : RECORDS) {
            register(kryo, type);
        }
    }

    private static <T extends Record> void register(Kryo kryo, Class<T> type) {
        kryo.register(type, new RecordSerializer<>(type));
    }
}
