package io.streamcontrol.job.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.job.StreamingJob;
import io.streamcontrol.job.config.JobSettings;
import io.streamcontrol.job.seed.StateSeed.Seed;
import io.streamcontrol.job.sequence.SourceState;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedSnapshotTest {

    @Test
    void theSeedIsReadBackAsWrittenNextToTheCheckpoint(@TempDir Path dir) {
        String checkpoint = dir.resolve("checkpoint").toUri().toString();
        SparkConf conf = StreamingJob.sparkConf(JobSettings.parse("--checkpoint", checkpoint));
        StateSeedTest.Run run = new StateSeedTest.Run(StateSeedTest.CONFIG).feed(StateSeedTest.lines(0, 300), 20);
        Seed seed = run.seed(StateSeedTest.CONFIG);

        SeedSnapshot snapshot = SeedSnapshot.write(checkpoint, seed, conf);
        // a seeded start that is repeated (no checkpoint was written yet) replaces the snapshot
        snapshot = SeedSnapshot.write(checkpoint, seed, conf);

        assertThat(dir.resolve("checkpoint/seed/analytics")).isRegularFile();
        assertThat(snapshot.analytics(conf)).isEqualTo(seed.analytics());
        assertThat(snapshot.source(1, conf)).isEqualTo(seed.sources().get(1));
        assertThat(snapshot.source(5, conf)).isEqualTo(SourceState.empty(5));
        assertThat(SeedSnapshot.NONE.source(0)).isEqualTo(SourceState.empty(0));
        assertThat(SeedSnapshot.NONE.analytics().buckets()).isEmpty();
    }
}
