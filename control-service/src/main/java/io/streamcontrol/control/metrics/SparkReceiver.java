package io.streamcontrol.control.metrics;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One element of {@code GET /api/v1/applications/{appId}/streaming/receivers}, with Spark's field names
 * ({@code isActive} as {@code active}); all but the stream are absent until the receiver has registered.
 * {@code lastError} is the stack trace behind {@code lastErrorMessage}.
 */
record SparkReceiver(
        int streamId,
        String streamName,
        @JsonProperty("isActive") @Nullable Boolean active,
        @Nullable String executorId,
        @Nullable String executorHost,
        @Nullable Instant lastErrorTime,
        @Nullable String lastErrorMessage,
        @Nullable String lastError,
        @Nullable Double avgEventRate) {
}
