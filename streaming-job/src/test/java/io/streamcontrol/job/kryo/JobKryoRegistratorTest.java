package io.streamcontrol.job.kryo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.rollups.Dimension;
import io.streamcontrol.contract.rollups.Granularity;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.job.StreamingJob;
import io.streamcontrol.job.event.ParsedLine;
import io.streamcontrol.job.rollup.Analytics;
import io.streamcontrol.job.rollup.AnalyticsConfig;
import io.streamcontrol.job.rollup.AnalyticsInput;
import io.streamcontrol.job.rollup.AnalyticsState;
import io.streamcontrol.job.sequence.SourceState;
import io.streamcontrol.job.source.ReceivedLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

class JobKryoRegistratorTest {

    /** Serializes the way the job does: with the job's own Spark settings. */
    final SerializerInstance kryo = new KryoSerializer(
            StreamingJob.sparkConf(JobSettings.parse("--checkpoint", "file:///tmp/checkpoint"))).newInstance();

    @SuppressWarnings("unchecked")
    <T> T roundTrip(T value) {
        return (T) kryo.deserialize(kryo.serialize(value, ClassTag$.MODULE$.Any()), ClassTag$.MODULE$.Any());
    }

    @Test
    void recordsSurviveTheRoundTrip() {
        SalesEvent event = new SalesEvent(7, Instant.parse("2026-01-01T00:00:01.5Z"), 3, new BigDecimal("1.50"),
                new BigDecimal("9.99"), new BigDecimal("29.52"), "Customer 1", "CA", "R1", "P0001", new BigDecimal("0.1000"));
        assertThat(roundTrip(event)).isEqualTo(event);
        assertThat(roundTrip(ParsedLine.accepted(1, 7, 99, event))).isEqualTo(ParsedLine.accepted(1, 7, 99, event));
        assertThat(roundTrip(ParsedLine.rejected(1, 8, 99, "bad", "x"))).isEqualTo(ParsedLine.rejected(1, 8, 99, "bad", "x"));
        assertThat(roundTrip(SourceState.empty(3))).isEqualTo(SourceState.empty(3));
        ReceivedLine line = new ReceivedLine(3, 1L << 40, 1_796_000_000_000L, "7,2026-01-01T00:00:00Z,Zoë,\u0000");
        assertThat(roundTrip(line)).isEqualTo(line);
    }

    @Test
    void theChangesOfABatchSurviveTheRoundTrip() {
        AnalyticsConfig config = new AnalyticsConfig(List.of(Dimension.PRODUCT), List.of(Granularity.MINUTE), 3,
                60_000, 10_000, 5_000, 1);
        SalesEvent event = new SalesEvent(1, Instant.ofEpochMilli(1_000), 1, BigDecimal.ZERO, BigDecimal.ONE,
                BigDecimal.TEN, "c", "CA", "R1", "P1", BigDecimal.ZERO);
        List<AnalyticsInput> inputs = new ArrayList<>(Analytics.aggregate(List.of(event).iterator(), config));
        assertThat(roundTrip(inputs)).isEqualTo(inputs);
        inputs.add(new AnalyticsInput.SourceProgress(new SourceState(0, 1, 1_000, 1, 0, 0, 0)));
        Analytics.Step step = Analytics.apply(AnalyticsState.empty(), inputs, config);

        assertThat(step.changes().isEmpty()).isFalse();
        assertThat(roundTrip(step.changes())).isEqualTo(step.changes());
    }
}
