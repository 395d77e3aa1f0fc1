package io.streamcontrol.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartMetricsTest {

    /** The names the service exports (README, "Metrics"), as samples of the text format. */
    private static final Set<String> README_METRICS = Set.of("streaming_input_rate",
            "streaming_records_received_total", "streaming_records_processed_total",
            "streaming_batch_processing_time_seconds", "streaming_batch_scheduling_delay_seconds",
            "streaming_batch_total_delay_seconds", "streaming_batch_interval_seconds", "streaming_receivers",
            "streaming_receivers_active", "streaming_batches_completed_total", "streaming_batches_failed_total",
            "streaming_metrics_poll_errors_total", "streamcontrol_launch_latency_seconds_count",
            "streamcontrol_launch_latency_seconds_sum", "streamcontrol_launch_latency_seconds_max",
            "streamcontrol_jobs", "streamcontrol_job_restarts_total", "streamcontrol_reconciliation_errors_total",
            "streamcontrol_leader",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
            "http_server_requests_seconds_max");

    @Test
    void findsMetricNamesAmongFunctionsKeywordsLabelsAndVariables() {
        assertThat(ChartMetrics.metricNamesIn("""
                sum by (method, uri) (rate(http_server_requests_seconds_sum{uri=~"/api/.*", job!="a b"}[$__rate_interval]))
                / on (method) group_left(uri) sum without (status) (rate(http_server_requests_seconds_count[5m] offset 1h))
                """)).containsExactlyInAnyOrder("http_server_requests_seconds_sum", "http_server_requests_seconds_count");
        assertThat(ChartMetrics.metricNamesIn(
                "streaming_batch_scheduling_delay_seconds > 2 * streaming_batch_interval_seconds\n"
                        + "and deriv(streaming_batch_scheduling_delay_seconds[5m]) > 0"))
                .containsExactlyInAnyOrder("streaming_batch_scheduling_delay_seconds", "streaming_batch_interval_seconds");
        assertThat(ChartMetrics.metricNamesIn("streamcontrol_jobs{state=\"FAILED\"} > bool 0 unless on(job) up == 1e3"))
                .containsExactlyInAnyOrder("streamcontrol_jobs", "up");
        assertThat(ChartMetrics.metricNamesIn("label_values(streaming_input_rate{job=~\"$job\"}, job)"))
                .containsExactly("streaming_input_rate");
        assertThat(ChartMetrics.metricNamesIn("max_over_time(foo:rate5m[1h:5m]) / ignoring(instance) sum(bar) by (x)"))
                .containsExactlyInAnyOrder("foo:rate5m", "bar");
        assertThat(ChartMetrics.metricNamesIn("histogram_quantile(0.99, sum by (le) (rate(x_bucket[${__rate_interval}])))"))
                .containsExactly("x_bucket");
    }

    @Test
    void readsRuleExpressionsAndDashboardTargetsIncludingNestedPanelsAndVariables(@TempDir Path chart) throws Exception {
        Files.createDirectories(chart.resolve("files"));
        Files.writeString(chart.resolve("files/alerts.yaml"), """
                groups:
                  - name: g
                    rules:
                      - record: job:a:rate5m
                        expr: sum by (job) (rate(a_total[5m]))
                      - alert: B
                        expr: b_seconds > 1
                """);
        Files.writeString(chart.resolve("files/dashboard.json"), """
                {"panels": [
                   {"type": "timeseries", "targets": [{"expr": "c{job=~\\"$job\\"}"}, {"expr": ""}]},
                   {"type": "row", "panels": [{"targets": [{"expr": "rate(d_total[$__rate_interval])"}]}]}],
                 "templating": {"list": [
                   {"type": "query", "name": "job", "query": {"query": "label_values(e, job)"}},
                   {"type": "query", "name": "old", "query": "label_values(f, instance)"},
                   {"type": "datasource", "name": "ds", "query": "prometheus"}]}}
                """);

        assertThat(ChartMetrics.metricNames(chart)).containsExactly("a_total", "b_seconds", "c", "d_total", "e", "f");
    }

    @Test
    void readsTheDashboardAsStrictJson() {
        assertThat(ChartMetrics.Json.parse("{\n\t\"a\": [1, -2.5e3, true, false, null],\n\t\"b\": \"x\\/y \\u00e9\\n\"\n}"))
                .isEqualTo(java.util.Map.of("a", java.util.Arrays.asList(1.0, -2500.0, true, false, null), "b", "x/y \u00e9\n"));
        for (String invalid : new String[] {"{\"a\": 1,}", "{'a': 1}", "{\"a\": 01}", "[1] [2]", "{\"a\": \"\\x\"}"}) {
            assertThatThrownBy(() -> ChartMetrics.Json.parse(invalid)).as(invalid)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid JSON");
        }
    }

    @Test
    void readsSampleNamesOfAnExposition() {
        assertThat(ChartMetrics.exposedSampleNames("""
                # HELP x_seconds A timer
                # TYPE x_seconds summary
                x_seconds_count{uri="/a"} 3
                x_seconds_sum{uri="/a"} 0.5
                y 1.0

                z_total{job="j",state="RUNNING"} 2 1700000000000
                """)).containsExactly("x_seconds_count", "x_seconds_sum", "y", "z_total");
    }

    @Test
    void theChartQueriesOnlyMetricsTheServiceExports() throws Exception {
        Set<String> used = ChartMetrics.metricNames(RenderedChart.CHART_DIR);
        String exposition = Files.readString(RenderedChart.serviceScrape());

        assertThat(used).isNotEmpty().isSubsetOf(README_METRICS);
        assertThat(ChartMetrics.exposedSampleNames(exposition)).containsAll(used);
        // the alerts and the dashboard together cover every streaming metric and the service's own ones
        assertThat(used).contains("streaming_input_rate", "streaming_batch_processing_time_seconds",
                "streaming_batch_interval_seconds", "streaming_batch_scheduling_delay_seconds",
                "streaming_batch_total_delay_seconds", "streaming_records_received_total",
                "streaming_records_processed_total", "streaming_receivers", "streaming_receivers_active",
                "streaming_batches_failed_total", "streamcontrol_jobs", "streamcontrol_leader",
                "http_server_requests_seconds_sum",
                "http_server_requests_seconds_count");
    }
}
