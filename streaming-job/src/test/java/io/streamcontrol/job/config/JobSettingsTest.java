package io.streamcontrol.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.job.event.Dimension;
import io.streamcontrol.job.event.LineFormat;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobSettingsTest {

    @Test
    void defaultsNeedOnlyACheckpoint() {
        JobSettings settings = JobSettings.parse("--checkpoint", "file:///tmp/cp");
        assertThat(settings.batchInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.sourceFormat()).isEqualTo(LineFormat.CSV);
        assertThat(settings.dimensions()).containsExactly(Dimension.PRODUCT, Dimension.REGION, Dimension.STATE);
    }

    @Test
    void argumentsRoundTrip() {
        JobSettings settings = JobSettings.parse("--checkpoint=hdfs://nn:8020/jobs/a", "--source-format", "json",
                "--dimensions", "state,product", "--batch-interval", "1500ms", "--top-n-window", "10m",
                "--top-n-slide", "30s");
        assertThat(JobSettings.parse(settings.toArguments().toArray(String[]::new))).isEqualTo(settings);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--batch-interval 5 --checkpoint file:///c|batch-interval",
        "--receivers 0 --checkpoint file:///c|receivers",
        "--source-format xml --checkpoint file:///c|source-format",
        "--dimensions product,color --checkpoint file:///c|dimensions",
        "--checkpoint relative/dir|checkpoint",
        "--checkpoint file:///a/../etc|checkpoint",
        "--source-port 70000 --checkpoint file:///c|source-port",
        "--keyspace Bad-Name --checkpoint file:///c|keyspace",
        "--top-n-window 90s --top-n-slide 1m --checkpoint file:///c|top-n-window",
        "--block-interval 10s --batch-interval 1s --checkpoint file:///c|block-interval",
        "--colour red --checkpoint file:///c|colour",
        "--resume maybe --checkpoint file:///c|resume",
        "--source-host a;rm --checkpoint file:///c|source-host",
    })
    void badSettingsAreNamed(String args, String setting) {
        assertThatThrownBy(() -> JobSettings.parse(args.split(" ")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("invalid setting --" + setting + ":")
                .extracting(e -> ((InvalidSettingException) e).setting()).isEqualTo(setting);
    }

    @Test
    void theCheckpointIsRequired() {
        assertThatThrownBy(JobSettings::parse).hasMessage("invalid setting --checkpoint: is required");
    }

    @Test
    void durations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("not a duration");
    }
}
