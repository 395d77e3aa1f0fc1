package io.streamcontrol.control.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that answers like a driver's UI with given payloads (for tests of the client and
 * the poller; the integration test polls a real driver). Answers per path are served in order, the last one repeats.
 */
final class FakeSparkUi implements AutoCloseable {

    record Answer(int status, String contentType, String body, Duration delay) {
        static Answer json(String body) {
            return new Answer(200, "application/json", body, Duration.ZERO);
        }

        static Answer text(int status, String contentType, String body) {
            return new Answer(status, contentType, body, Duration.ZERO);
        }

        Answer after(Duration delay) {
            return new Answer(status, contentType, body, delay);
        }
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    FakeSparkUi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-spark-ui");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the captured statistics, receivers and batches of a running job for {@code appId}. */
    static FakeSparkUi running(String appId) throws IOException {
        FakeSparkUi ui = new FakeSparkUi();
        ui.answer(appId, "statistics", Answer.json(SparkPayloads.load("statistics.json")));
        ui.answer(appId, "receivers", Answer.json(SparkPayloads.load("receivers.json")));
        ui.answer(appId, "batches", Answer.json(SparkPayloads.load("batches.json")));
        return ui;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Replaces the answers to {@code /api/v1/applications/{appId}/streaming/{part}}. */
    FakeSparkUi answer(String appId, String part, Answer... inOrder) {
        answers.put(path(appId, part), new ArrayDeque<>(java.util.List.of(inOrder)));
        return this;
    }

    int requests(String appId, String part) {
        AtomicInteger count = requests.get(path(appId, part));
        return count == null ? 0 : count.get();
    }

    private static String path(String appId, String part) {
        return "/api/v1/applications/" + appId + "/streaming/" + part;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = next(path);
            if (answer == null) {
                answer = Answer.text(404, "text/plain", "no such app: " + path);
            }
            if (!answer.delay().isZero()) {
                try {
                    Thread.sleep(answer.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // the client gave up (read timeout)
        }
    }

    private Answer next(String path) {
        Deque<Answer> queue = answers.get(path);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.size() > 1 ? queue.poll() : queue.peek();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
