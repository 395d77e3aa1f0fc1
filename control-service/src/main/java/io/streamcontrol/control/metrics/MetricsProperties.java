package io.streamcontrol.control.metrics;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the batch metrics of running jobs are read from their drivers' monitoring REST API.
 *
 * @param pollInterval pause between the end of one poll of every running driver and the start of the next
 * @param connectTimeout longest wait for a TCP connection to a driver's UI
 * @param readTimeout longest wait for a driver's answer to one request
 * @param retries how many times a failed request to a driver is repeated within one poll
 * @param recentBatches how many of the newest batches each job's metrics keep and show
 */
@ConfigurationProperties(prefix = "streamcontrol.metrics")
@Validated
public record MetricsProperties(
        @DefaultValue("5s") @DurationMin(millis = 100) Duration pollInterval,
        @DefaultValue("1s") @DurationMin(millis = 1) Duration connectTimeout,
        @DefaultValue("3s") @DurationMin(millis = 1) Duration readTimeout,
        @DefaultValue("2") @Min(0) @Max(10) int retries,
        @DefaultValue("20") @Min(1) @Max(1000) int recentBatches) {

    /** The defaults, as Spring binds them when nothing is configured. */
    public static MetricsProperties defaults() {
        return new MetricsProperties(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(3), 2, 20);
    }
}
