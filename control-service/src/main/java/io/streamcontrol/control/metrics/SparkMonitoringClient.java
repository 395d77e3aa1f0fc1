package io.streamcontrol.control.metrics;

import io.streamcontrol.control.system.RestClients;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Reads a driver's streaming statistics, receivers and batches from its monitoring REST API
 * ({@code {uiUrl}/api/v1/applications/{appId}/streaming/...}). Each request has the configured connect and read
 * timeouts and is repeated up to {@code retries} times when repeating may help: I/O errors, 5xx, and the text page a
 * driver serves with status 200 while its UI is still starting.
 */
@Component
class SparkMonitoringClient {

    private static final Duration RETRY_BACKOFF = Duration.ofMillis(200);

    private final RestClient rest;
    private final int retries;

    SparkMonitoringClient(MetricsProperties properties) {
        this.rest = RestClients.jdk(properties.connectTimeout(), properties.readTimeout())
                .defaultHeader(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
                .build();
        this.retries = properties.retries();
    }

    /** Statistics, receivers and batches, read one after the other; the first that fails ends the poll. */
    SparkStreamingStatus fetch(String uiUrl, String appId) {
        SparkStatistics statistics = statistics(uiUrl, appId);
        List<SparkReceiver> receivers = receivers(uiUrl, appId);
        List<SparkBatch> batches = batches(uiUrl, appId);
        return new SparkStreamingStatus(statistics, receivers, batches);
    }

    SparkStatistics statistics(String uiUrl, String appId) {
        return SparkStreamingJson.statistics(get(uiUrl, appId, "statistics"));
    }

    List<SparkReceiver> receivers(String uiUrl, String appId) {
        return SparkStreamingJson.receivers(get(uiUrl, appId, "receivers"));
    }

    List<SparkBatch> batches(String uiUrl, String appId) {
        return SparkStreamingJson.batches(get(uiUrl, appId, "batches"));
    }

    private String get(String uiUrl, String appId, String part) {
        for (int attempt = 0; ; attempt++) {
            try {
                return getOnce(uiUrl, appId, part);
            } catch (SparkMonitoringException e) {
                if (!e.retryable() || attempt >= retries) {
                    throw e;
                }
                pause(RETRY_BACKOFF.multipliedBy(attempt + 1), e);
            }
        }
    }

    private String getOnce(String uiUrl, String appId, String part) {
        String what = part + " of " + appId;
        ResponseEntity<String> response;
        try {
            response = rest.get()
                    .uri(stripSlash(uiUrl) + "/api/v1/applications/{appId}/streaming/{part}", appId, part)
                    .retrieve()
                    .toEntity(String.class);
        } catch (HttpStatusCodeException e) {
            throw new SparkMonitoringException("Driver answered " + e.getStatusCode().value() + " for " + what + ": "
                    + firstLine(e.getResponseBodyAsString()), e.getStatusCode().is5xxServerError(), e);
        } catch (ResourceAccessException e) {
            throw new SparkMonitoringException("Driver at " + uiUrl + " unreachable for " + what + ": "
                    + cause(e), true, e);
        } catch (RestClientException | IllegalArgumentException e) {
            throw new SparkMonitoringException("Request for " + what + " at " + uiUrl + " failed: " + e.getMessage(),
                    false, e);
        }
        String body = response.getBody();
        MediaType type = response.getHeaders().getContentType();
        if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
            // e.g. "Spark is starting up. Please wait a while until it's ready." (200, text/html)
            throw new SparkMonitoringException("Driver not ready for " + what + ": " + firstLine(body), true);
        }
        if (body == null || body.isBlank()) {
            throw new SparkMonitoringException("Driver answered nothing for " + what, true);
        }
        return body;
    }

    private static void pause(Duration pause, SparkMonitoringException failure) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "(no body)";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** What went wrong under Spring's wrapper, e.g. {@code HttpTimeoutException: request timed out}. */
    private static String cause(ResourceAccessException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
