package io.streamcontrol.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The control service's REST API (openapi/openapi.yaml), as far as the benchmark calls it: status and JSON body. */
final class ServiceApi {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A response: its status and its body (a missing node when empty or not JSON). */
    record Response(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** What GET /api/jobs/{name} says about the job's driver. */
    record JobStatus(String state, String appId, String driverUiUrl, int generation, int attempt, String lastError) {
        static JobStatus of(JsonNode job) {
            JsonNode s = job.path("status");
            return new JobStatus(s.path("state").asText(null), text(s, "appId"), text(s, "driverUiUrl"),
                    s.path("generation").asInt(), s.path("attempt").asInt(), text(s, "lastError"));
        }

        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            return value == null || value.isNull() ? null : value.asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final String base;

    ServiceApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, Object body) throws IOException, InterruptedException {
        return send(withBody(HttpRequest.newBuilder(uri(path)), "POST", body));
    }

    Response put(String path, Object body) throws IOException, InterruptedException {
        return send(withBody(HttpRequest.newBuilder(uri(path)), "PUT", body));
    }

    JobStatus job(String name) throws IOException, InterruptedException {
        Response response = get("/api/jobs/" + name);
        if (response.status() != 200) {
            throw new IOException("GET /api/jobs/" + name + ": HTTP " + response.status() + " " + response.body());
        }
        return JobStatus.of(response.body());
    }

    /** Fails unless the response has the expected status. */
    static Response expect(int status, String what, Response response) {
        if (response.status() != status) {
            throw new IllegalStateException(what + ": HTTP " + response.status() + " (expected " + status + "): "
                    + response.body());
        }
        return response;
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private static HttpRequest.Builder withBody(HttpRequest.Builder request, String method, Object body)
            throws IOException {
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    }

    private Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = response.body().isEmpty() ? MissingNode.getInstance() : JSON.readTree(response.body());
        } catch (IOException notJson) {
            body = JSON.getNodeFactory().textNode(response.body());
        }
        return new Response(response.statusCode(), body);
    }
}
