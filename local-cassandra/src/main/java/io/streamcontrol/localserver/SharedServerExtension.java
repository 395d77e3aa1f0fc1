package io.streamcontrol.localserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real server per test JVM, started when the first test class using the extension begins and stopped (closed)
 * when the whole test run ends; tests get it as a parameter of type {@code S}. A subclass says how to start it.
 */
public abstract class SharedServerExtension<S extends AutoCloseable> implements BeforeAllCallback, ParameterResolver {

    private static final Map<Class<?>, Object> RUNNING = new ConcurrentHashMap<>();

    private final Class<S> type;

    protected SharedServerExtension(Class<S> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    /** Starts the server of this test run. */
    protected abstract S start() throws IOException;

    /** The running server of this type; {@code extension} names the extension to annotate the test class with. */
    protected static <S> S running(Class<S> type, Class<?> extension) {
        Object current = RUNNING.get(type);
        if (current == null) {
            throw new IllegalStateException("No local " + type.getSimpleName().replace("Local", "")
                    + ": annotate the test class with @ExtendWith(" + extension.getSimpleName() + ".class)");
        }
        return type.cast(current);
    }

    /**
     * The directory named by the system property, else {@code target/<prefix>-<timestamp>} of the working
     * directory.
     */
    protected static Path defaultBaseDir(String property, String prefix) {
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return Path.of("target", prefix + "-" + timestamp).toAbsolutePath();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        serverFor(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return serverFor(extensionContext);
    }

    private S serverFor(ExtensionContext context) {
        // The root context's store is closed when the whole test run ends, which stops the server.
        return type.cast(context.getRoot().getStore(ExtensionContext.Namespace.create(getClass(), type))
                .getOrComputeIfAbsent(RunningServer.class, key -> new RunningServer(startShared()), RunningServer.class)
                .server);
    }

    private S startShared() {
        S server;
        try {
            server = start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNNING.put(type, server);
        return server;
    }

    private final class RunningServer implements ExtensionContext.Store.CloseableResource {
        private final S server;

        private RunningServer(S server) {
            this.server = server;
        }

        @Override
        public void close() throws Exception {
            RUNNING.remove(type, server);
            server.close();
        }
    }
}
