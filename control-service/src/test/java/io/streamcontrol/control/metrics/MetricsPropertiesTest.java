package io.streamcontrol.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class MetricsPropertiesTest {

    @Test
    void defaults() {
        MetricsProperties properties = bind(Map.of());

        assertThat(properties).isEqualTo(new MetricsProperties(Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(3), 2, 20));
        assertThat(properties).isEqualTo(MetricsProperties.defaults());
    }

    @Test
    void keys() {
        MetricsProperties properties = bind(Map.of("streamcontrol.metrics.poll-interval", "10s",
                "streamcontrol.metrics.connect-timeout", "500ms", "streamcontrol.metrics.read-timeout", "2s",
                "streamcontrol.metrics.retries", "0", "streamcontrol.metrics.recent-batches", "50"));

        assertThat(properties).isEqualTo(new MetricsProperties(Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofSeconds(2), 0, 50));
    }

    private static MetricsProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("streamcontrol.metrics", MetricsProperties.class);
    }
}
