package io.streamcontrol.control.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The metrics beans as Spring wires them: configuration keys, the scheduled poll, shutdown. */
class MetricsWiringTest {

    static final String APP = "local-1795250119775";

    final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Wiring.class);

    @Test
    void theSchedulerPollsAtTheConfiguredIntervalAndShutdownDropsTheMeters() throws Exception {
        try (FakeSparkUi ui = FakeSparkUi.running(APP)) {
            TestMonitoredJobs jobs = new TestMonitoredJobs().run("sales", APP, ui.url());
            context.withBean(MonitoredJobs.class, () -> jobs)
                    .withPropertyValues("streamcontrol.metrics.poll-interval=100ms",
                            "streamcontrol.metrics.recent-batches=3")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(MetricsProperties.class).recentBatches()).isEqualTo(3);
                        JobMetricsPoller poller = context.getBean(JobMetricsPoller.class);
                        await().atMost(Duration.ofSeconds(5)).until(() -> ui.requests(APP, "batches") >= 3);
                        assertThat(poller.latest("sales").orElseThrow().batches()).hasSize(3);
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.find("streaming.receivers").gauge().value()).isEqualTo(2);

                        context.close();
                        assertThat(registry.getMeters()).isEmpty();
                    });
        }
    }

    @Test
    void invalidSettingsStopTheStart() {
        context.withBean(MonitoredJobs.class, TestMonitoredJobs::new)
                .withPropertyValues("streamcontrol.metrics.retries=-1")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasStackTraceContaining("streamcontrol.metrics.retries"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @EnableConfigurationProperties(MetricsProperties.class)
    @Import({SparkMonitoringClient.class, JobMetricsPoller.class})
    static class Wiring {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
