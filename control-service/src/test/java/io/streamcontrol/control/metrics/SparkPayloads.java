package io.streamcontrol.control.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The payloads captured from a real driver (see {@code src/test/resources/metrics/README.md}). */
final class SparkPayloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SparkPayloads() {
    }

    static String load(String name) {
        try (InputStream in = SparkPayloads.class.getResourceAsStream("/metrics/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource metrics/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A real batches payload with one batch turned into a failed one: only the values of Spark's own fields
     * {@code numFailedOutputOps}, {@code numCompletedOutputOps} and {@code firstFailureReason} change.
     */
    static String withFailedBatch(String batchesJson, long batchId, String reason) {
        ArrayNode batches = (ArrayNode) JSON.readTree(batchesJson);
        for (var node : batches) {
            ObjectNode batch = (ObjectNode) node;
            if (batch.get("batchId").asLong() == batchId) {
                batch.put("numCompletedOutputOps", batch.get("numCompletedOutputOps").asInt() - 1);
                batch.put("numFailedOutputOps", 1);
                batch.put("firstFailureReason", reason);
                return JSON.writeValueAsString(batches);
            }
        }
        throw new IllegalArgumentException("no batch " + batchId);
    }
}
