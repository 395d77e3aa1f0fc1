package io.streamcontrol.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamcontrol.contract.settings.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The control service's REST API (openapi/openapi.yaml), as far as the benchmark calls it: status and JSON body. Every
 * request carries one set of {@link Credentials}.
 */
public final class ServiceApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A response: its status and its body (a missing node when empty or not JSON). */
    public record Response(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** What GET /api/jobs/{name} says about the job's driver. */
    public record JobStatus(String state, String appId, String driverUiUrl, int generation, int attempt,
            String lastError) {
        static JobStatus of(JsonNode job) {
            JsonNode s = job.path("status");
            return new JobStatus(s.path("state").asText(null), text(s, "appId"), text(s, "driverUiUrl"),
                    s.path("generation").asInt(), s.path("attempt").asInt(), text(s, "lastError"));
        }

        /** STOPPED, or ended otherwise (FAILED, KILLED, LOST). */
        public boolean stopped() {
            return "STOPPED".equals(state) || ENDED.contains(state);
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    /** How a request authenticates: one header (HTTP basic of a user, or an API key). */
    public record Credentials(String header, String value) {
        static Credentials basic(String user, String password) {
            return new Credentials("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        static Credentials apiKey(String key) {
            return new Credentials("X-API-Key", key);
        }

        /** A random secret of 32 URL-safe characters (a password or an API key). */
        static String secret() {
            byte[] bytes = new byte[24];
            RANDOM.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        @Override
        public String toString() {
            return header + ": ***";
        }
    }

    public static final Set<String> ENDED = Set.of("FAILED", "KILLED", "LOST");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JsonHttpClient http;
    private final int port;
    private final Credentials credentials;

    ServiceApi(int port, Credentials credentials) {
        this(new JsonHttpClient("http://127.0.0.1:" + port, CONNECT_TIMEOUT, REQUEST_TIMEOUT), port, credentials);
    }

    private ServiceApi(JsonHttpClient http, int port, Credentials credentials) {
        this.http = http;
        this.port = port;
        this.credentials = credentials;
    }

    /** The same service, called with other credentials. */
    public ServiceApi as(Credentials other) {
        return new ServiceApi(http, port, other);
    }

    public int port() {
        return port;
    }

    public Response get(String path) throws IOException, InterruptedException {
        return response(http.get(path, credentials.header(), credentials.value()));
    }

    public Response post(String path, Object body) throws IOException, InterruptedException {
        return response(http.send("POST", path, body, credentials.header(), credentials.value()));
    }

    public Response put(String path, Object body) throws IOException, InterruptedException {
        return response(http.send("PUT", path, body, credentials.header(), credentials.value()));
    }

    private static Response response(JsonHttpClient.Response response) {
        return new Response(response.status(), response.jsonOrText());
    }

    public JobStatus job(String name) throws IOException, InterruptedException {
        Response response = get("/api/jobs/" + name);
        if (response.status() != 200) {
            throw new IOException("GET /api/jobs/" + name + ": HTTP " + response.status() + " " + response.body());
        }
        return JobStatus.of(response.body());
    }

    /** Polls GET /api/jobs/{name} every {@code pollMs} until {@code until} holds; fails on timeout. */
    public JobStatus awaitJob(String name, Predicate<JobStatus> until, String what, Duration timeout, long pollMs)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus s = null;
        while (System.nanoTime() < deadline) {
            long before = System.currentTimeMillis();
            s = job(name);
            if (until.test(s)) {
                return s;
            }
            long sleep = pollMs - (System.currentTimeMillis() - before);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        throw new IllegalStateException("job " + name + " not " + what + " within " + timeout + "; last seen " + s);
    }

    /**
     * The body of POST /api/jobs as the benchmarks create jobs: local[4], driver 768m, no restarts (a failed driver
     * must show as FAILED, not be hidden by a restart), lateness {@code lateness}, top-N over 10 minutes sliding by
     * one; {@code extraSettings} adds job settings.
     */
    public static Map<String, Object> jobDefinition(String job, String keyspace, int sourcePort, int receivers,
            Duration batchInterval, Duration lateness, Map<String, Object> extraSettings) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("sourcePort", sourcePort);
        settings.put("receivers", receivers);
        settings.put("batchInterval", Durations.format(batchInterval));
        settings.put("lateness", Durations.format(lateness));
        settings.put("topNWindow", "10m");
        settings.put("topNSlide", "1m");
        settings.put("keyspace", keyspace);
        settings.putAll(extraSettings);
        return Map.of("name", job, "settings", settings,
                "spark", Map.of("master", "local[4]", "driverMemory", "768m"),
                "restartPolicy", Map.of("maxAttempts", 0));
    }

    /** Fails unless the response has the expected status. */
    public static Response expect(int status, String what, Response response) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": HTTP " + response.status() + " (expected " + status + "): "
                    + response.body());
        }
        return response;
    }
}
