package io.streamcontrol.bench.harness;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * JSON over HTTP to a server on this machine (the control service's API, a Spark driver's monitoring API): requests
 * with a JSON body or none, answers as status and text, the text read as JSON.
 */
final class JsonHttpClient {

    /** Amounts are JSON numbers: read them as BigDecimal, never as double. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** An answer: its status and its body as sent. */
    record Response(int status, String text) {

        /** The body as JSON; an IOException when it is not JSON. */
        JsonNode json() throws IOException {
            return JSON.readTree(text);
        }

        /** The body as JSON: a missing node when empty, a text node when not JSON. */
        JsonNode jsonOrText() {
            try {
                return text.isEmpty() ? MissingNode.getInstance() : JSON.readTree(text);
            } catch (IOException notJson) {
                return JSON.getNodeFactory().textNode(text);
            }
        }
    }

    private final HttpClient http;
    private final String base;
    private final Duration requestTimeout;

    /** A client of {@code base} (e.g. {@code http://127.0.0.1:4040/api/v1}), which request paths are appended to. */
    JsonHttpClient(String base, Duration connectTimeout, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.base = base;
        this.requestTimeout = requestTimeout;
    }

    /** A GET with the given headers (name, value, name, value...). */
    Response get(String path, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    /** A request with {@code body} as JSON (none when null) and the given headers (name, value, name, value...). */
    Response send(String method, String path, Object body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        return send(request, headers);
    }

    private URI uri(String path) {
        return URI.create(base + path);
    }

    private Response send(HttpRequest.Builder request, String... headers) throws IOException, InterruptedException {
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = http.send(request.timeout(requestTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
    }
}
