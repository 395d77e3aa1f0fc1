package io.streamcontrol.control.launcher;

import io.streamcontrol.control.system.RestClients;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client of a standalone master's REST submission server (on when the master runs with
 * {@code spark.master.rest.enabled=true}; port {@code spark.master.rest.port}, 6066 by default): the status of a
 * driver ({@code GET /v1/submissions/status/<id>}) and its kill ({@code POST /v1/submissions/kill/<id>}). With several
 * masters (HA) it asks each until one answers for the driver; a standby master does not.
 */
@Component
public class StandaloneMaster {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneMaster.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What a master says of a driver; {@code masterState} is null when it does not know the driver. */
    public record DriverStatus(String submissionId, String masterState, String workerHostPort, String message) {

        public DriverState state() {
            return StandaloneCluster.driverState(masterState);
        }
    }

    /** A master's answer to a kill: accepted, or refused with its reason (e.g. the driver has already finished). */
    public record KillAnswer(boolean accepted, String message) {
    }

    private final RestClient rest = RestClients.jdk(TIMEOUT, TIMEOUT).build();

    /** The driver's status; empty when no master answered for it (unreachable, standby, not a REST server). */
    public Optional<DriverStatus> status(String master, String submissionId) {
        for (URI endpoint : StandaloneCluster.restEndpoints(master)) {
            Optional<DriverStatus> status = send(HttpMethod.GET, endpoint.resolve("status/" + submissionId))
                    .flatMap(StandaloneMaster::parseStatus);
            if (status.isPresent()) {
                return status;
            }
        }
        return Optional.empty();
    }

    /**
     * Asks the master to kill the driver: its worker sends SIGTERM (Spark's shutdown hook stops the driver's
     * SparkContext) and SIGKILL 10 s later. Empty when no master answered.
     */
    public Optional<KillAnswer> kill(String master, String submissionId) {
        for (URI endpoint : StandaloneCluster.restEndpoints(master)) {
            Optional<KillAnswer> answer = send(HttpMethod.POST, endpoint.resolve("kill/" + submissionId))
                    .flatMap(StandaloneMaster::parseKill);
            if (answer.isPresent()) {
                LOG.info("Master {} on the kill of driver {}: {}", master, submissionId, answer.get().message());
                return answer;
            }
        }
        LOG.warn("No master of {} answered the kill of driver {}", master, submissionId);
        return Optional.empty();
    }

    /**
     * Fails unless some master of the URL answers as a REST submission server: without it spark-submit would fall
     * back to the legacy gateway, and the driver it starts could be neither watched nor killed from here.
     */
    public void requireRestServer(String master) throws IOException {
        for (URI endpoint : StandaloneCluster.restEndpoints(master)) {
            Optional<String> body = send(HttpMethod.GET, endpoint.resolve("status/driver-00000000000000-0000"));
            if (body.flatMap(StandaloneMaster::action).isPresent()) {
                return;
            }
        }
        throw new IOException(master + " is not the REST submission server of a standalone master, which cluster"
                + " deploy mode needs to watch and kill the driver: start the master with"
                + " spark.master.rest.enabled=true and give its spark.master.rest.port (default 6066) in the master URL");
    }

    /** A status response: known driver, unknown driver (master state null), or nothing usable (another master). */
    static Optional<DriverStatus> parseStatus(String body) {
        JsonNode node = tree(body);
        if (node == null || !"SubmissionStatusResponse".equals(text(node, "action"))) {
            return Optional.empty();
        }
        String id = text(node, "submissionId");
        if (node.path("success").asBoolean(false)) {
            return Optional.of(new DriverStatus(id, text(node, "driverState"), text(node, "workerHostPort"),
                    text(node, "message")));
        }
        // a standby master answers with the exception it got ("Current state is not alive"); an unknown driver without
        return text(node, "message") == null ? Optional.of(new DriverStatus(id, null, null, "unknown to the master"))
                : Optional.empty();
    }

    static Optional<KillAnswer> parseKill(String body) {
        JsonNode node = tree(body);
        if (node == null || !"KillSubmissionResponse".equals(text(node, "action"))) {
            return Optional.empty();
        }
        boolean accepted = node.path("success").asBoolean(false);
        String message = text(node, "message");
        if (!accepted && message != null && message.startsWith("Current state is not alive")) {
            return Optional.empty(); // a standby master
        }
        return Optional.of(new KillAnswer(accepted, message));
    }

    private static Optional<String> action(String body) {
        return Optional.ofNullable(tree(body)).map(node -> text(node, "action"));
    }

    /** The body of the answer, whatever its status (the master answers a refusal as JSON too); empty on no answer. */
    private Optional<String> send(HttpMethod method, URI uri) {
        try {
            return Optional.ofNullable(rest.method(method).uri(uri)
                    .exchange((request, response) -> response.bodyTo(String.class)));
        } catch (RestClientException e) {
            LOG.debug("{} {}: {}", method, uri, e.getMostSpecificCause().toString());
            return Optional.empty();
        }
    }

    private static JsonNode tree(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
