package io.streamcontrol.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Client of the driver's monitoring REST API ({@code /api/v1}, served by the Spark UI). Requests are retried: on two
 * busy cores the first answers of a starting driver can take seconds.
 */
public final class SparkStreamingStats {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int ATTEMPTS = 5;

    /** One streaming batch as the API reports it; delays are null until the batch has started or finished. */
    public record Batch(long batchTime, String status, long inputSize, Long schedulingDelay, Long processingTime,
            Long totalDelay) {
        public boolean completed() {
            return "COMPLETED".equals(status) && processingTime != null;
        }
    }

    /**
     * The streaming statistics the API keeps since the job started; received records are those of the batches
     * generated so far, processed records those of the batches completed.
     */
    public record Statistics(int receivers, int activeReceivers, long totalCompletedBatches, long activeBatches,
            long receivedRecords, long processedRecords, double avgInputRate) {
    }

    private final String base;
    private final JsonHttpClient http;

    public SparkStreamingStats(int uiPort) {
        this.base = "http://127.0.0.1:" + uiPort + "/api/v1";
        this.http = new JsonHttpClient(base, REQUEST_TIMEOUT, REQUEST_TIMEOUT);
    }

    /** The id of the driver's application, once its UI answers; fails when {@code alive} turns false first. */
    public String awaitApplicationId(Duration timeout, BooleanSupplier alive) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException("the job exited before its UI answered");
            }
            try {
                JsonNode apps = getOnce("/applications");
                if (apps.isArray() && !apps.isEmpty()) {
                    return apps.get(0).get("id").asText();
                }
            } catch (IOException e) {
                // the UI is not up yet
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("no answer from " + base + "/applications within " + timeout);
    }

    /** Every retained batch, oldest first. */
    public List<Batch> batches(String appId) throws IOException, InterruptedException {
        return toBatches(get("/applications/" + appId + "/streaming/batches"));
    }

    /** Every retained batch, oldest first, from a single request (for polling: no retries). */
    public List<Batch> batchesOnce(String appId) throws IOException, InterruptedException {
        return toBatches(getOnce("/applications/" + appId + "/streaming/batches"));
    }

    private static List<Batch> toBatches(JsonNode array) {
        List<Batch> batches = new ArrayList<>();
        for (JsonNode b : array) {
            batches.add(new Batch(b.get("batchId").asLong(), b.path("status").asText(), b.path("inputSize").asLong(),
                    optionalLong(b, "schedulingDelay"), optionalLong(b, "processingTime"), optionalLong(b, "totalDelay")));
        }
        batches.sort(Comparator.comparingLong(Batch::batchTime));
        return batches;
    }

    public Statistics statistics(String appId) throws IOException, InterruptedException {
        JsonNode s = get("/applications/" + appId + "/streaming/statistics");
        return new Statistics(s.path("numReceivers").asInt(), s.path("numActiveReceivers").asInt(),
                s.path("numTotalCompletedBatches").asLong(), s.path("numActiveBatches").asLong(),
                s.path("numReceivedRecords").asLong(), s.path("numProcessedRecords").asLong(),
                s.path("avgInputRate").asDouble(Double.NaN));
    }

    private static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return getOnce(path);
            } catch (IOException e) {
                last = e;
                Thread.sleep(1_000L * attempt);
            }
        }
        throw last;
    }

    /** One request to {@code /api/v1 + path}; an IOException for a refused connection or any status but 200. */
    public JsonNode getOnce(String path) throws IOException, InterruptedException {
        JsonHttpClient.Response response = http.get(path);
        if (response.status() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.status() + " " + abbreviate(response.text()));
        }
        return response.json();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
