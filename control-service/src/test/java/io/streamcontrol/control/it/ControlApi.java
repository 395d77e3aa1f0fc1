package io.streamcontrol.control.it;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * The control service's REST API as the integration tests call it: status and JSON body, no exceptions on 4xx. Calls
 * are made as the operator of the tests' configuration ({@code src/test/resources/config/application.properties})
 * unless other credentials are given.
 */
final class ControlApi {

    static final String OPERATOR = "test-operator";
    static final String OPERATOR_PASSWORD = "operator-secret";
    static final String VIEWER = "test-viewer";
    static final String VIEWER_PASSWORD = "viewer-secret";
    static final String VIEWER_API_KEY = "test-dashboard-key-0123456789";

    /** A response: its status and its body (null when empty). */
    record Response(int status, JsonNode body) {
        String text(String field) {
            return body.path(field).asString();
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final RestClient client;

    private final String baseUrl;

    ControlApi(String baseUrl) {
        this(baseUrl, headers -> headers.setBasicAuth(OPERATOR, OPERATOR_PASSWORD));
    }

    private ControlApi(String baseUrl, java.util.function.Consumer<org.springframework.http.HttpHeaders> credentials) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(Duration.ofSeconds(60));
        this.baseUrl = baseUrl;
        this.client = RestClient.builder().baseUrl(baseUrl).requestFactory(factory).defaultHeaders(credentials).build();
    }

    /** The API of the service on {@code port} of this machine, called as the operator. */
    static ControlApi onPort(int port) {
        return new ControlApi("http://127.0.0.1:" + port);
    }

    /** The same API called with HTTP basic as another user. */
    ControlApi as(String user, String password) {
        return new ControlApi(baseUrl, headers -> headers.setBasicAuth(user, password));
    }

    /** The same API called with an API key. */
    ControlApi withApiKey(String key) {
        return new ControlApi(baseUrl, headers -> headers.set("X-API-Key", key));
    }

    /** The same API called without credentials. */
    ControlApi anonymous() {
        return new ControlApi(baseUrl, headers -> { });
    }

    /** A text resource (the contract, Prometheus' scrape). */
    String text(String path) {
        return client.get().uri(path).retrieve().body(String.class);
    }

    /**
     * The value of one series of {@code /actuator/prometheus} as written there, e.g. {@code streamcontrol_leader} or
     * {@code streamcontrol_jobs{state="RUNNING"}}; empty if the service does not export it.
     */
    java.util.OptionalDouble sample(String series) {
        for (String line : text("/actuator/prometheus").split("\n")) {
            if (line.startsWith(series + " ")) {
                return java.util.OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return java.util.OptionalDouble.empty();
    }

    Response get(String path) {
        return exchange(client.get().uri(path));
    }

    Response post(String path, Object body) {
        return post(path, body, Map.of());
    }

    Response post(String path, Object body, Map<String, String> headers) {
        RestClient.RequestBodySpec request = client.post().uri(path);
        headers.forEach(request::header);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body instanceof String s ? s : JSON.writeValueAsString(body));
        }
        return exchange(request);
    }

    Response put(String path, Object body) {
        return exchange(client.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(JSON.writeValueAsString(body)));
    }

    Response delete(String path) {
        return exchange(client.delete().uri(path));
    }

    /** The job's history (its last 100 entries) as "STATE: reason", newest first. */
    java.util.List<String> history(String job) {
        java.util.List<String> reasons = new java.util.ArrayList<>();
        get("/api/jobs/" + job + "/history?limit=100").body().path("items")
                .forEach(t -> reasons.add(t.path("to").asString() + ": " + t.path("reason").asString()));
        return reasons;
    }

    /** The job once its status satisfies the condition (checked every 250 ms). */
    JsonNode awaitJob(String name, Duration atMost, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .alias("job " + name + " condition; last seen: " + last[0])
                .until(() -> {
                    last[0] = get("/api/jobs/" + name).body();
                    return condition.test(last[0]);
                });
        return last[0];
    }

    static Predicate<JsonNode> inState(String state) {
        return job -> state.equals(job.path("status").path("state").asString());
    }

    private static Response exchange(RestClient.RequestHeadersSpec<?> request) {
        return request.exchange((req, res) -> {
            HttpStatusCode status = res.getStatusCode();
            byte[] bytes = res.getBody().readAllBytes();
            return new Response(status.value(), bytes.length == 0 ? null : JSON.readTree(bytes));
        });
    }
}
