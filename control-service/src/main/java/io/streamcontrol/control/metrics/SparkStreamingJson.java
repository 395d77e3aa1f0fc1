package io.streamcontrol.control.metrics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Reads the JSON of Spark's streaming monitoring endpoints. Fields this service does not use (such as a receiver's
 * {@code eventRates}) are skipped, so newer Spark versions that add fields still parse.
 */
final class SparkStreamingJson {

    /** Spark's {@code JacksonMessageWriter} writes every date like this, always in GMT. */
    static final DateTimeFormatter SPARK_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'GMT'");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("spark-dates").addDeserializer(Instant.class, new SparkDateDeserializer()))
            .build();

    private SparkStreamingJson() {
    }

    static SparkStatistics statistics(String json) {
        return read(json, new TypeReference<SparkStatistics>() { }, "statistics");
    }

    static List<SparkReceiver> receivers(String json) {
        return List.copyOf(read(json, new TypeReference<List<SparkReceiver>>() { }, "receivers"));
    }

    static List<SparkBatch> batches(String json) {
        return List.copyOf(read(json, new TypeReference<List<SparkBatch>>() { }, "batches"));
    }

    static Instant parseDate(String text) {
        try {
            return LocalDateTime.parse(text, SPARK_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return Instant.parse(text);
        }
    }

    private static <T> T read(String json, TypeReference<T> type, String what) {
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new SparkMonitoringException("Spark answered null " + what, false);
            }
            return value;
        } catch (JacksonException e) {
            throw new SparkMonitoringException("Unreadable Spark " + what + ": " + e.getOriginalMessage(), false, e);
        }
    }

    private static final class SparkDateDeserializer extends ValueDeserializer<Instant> {
        @Override
        public Instant deserialize(JsonParser parser, DeserializationContext context) {
            String text = parser.getValueAsString();
            try {
                return parseDate(text);
            } catch (DateTimeParseException e) {
                return (Instant) context.handleWeirdStringValue(Instant.class, text, "not a Spark date: %s",
                        e.getMessage());
            }
        }
    }
}
