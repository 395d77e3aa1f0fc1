package io.streamcontrol.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Cassandra server per test JVM, started when the first test class using this extension begins and
 * stopped when the whole test run ends.
 *
 * <pre>{@code
 * @ExtendWith(LocalCassandraExtension.class)
 * class MyTest {
 *     @Test void writes(LocalCassandra cassandra) {
 *         // CQL driver: contact point cassandra.host():cassandra.nativePort(), local datacenter "datacenter1"
 *     }
 * }
 * }</pre>
 *
 * The server's data lives in {@code target/local-cassandra-<timestamp>} of the working directory, or in the
 * directory named by the system property {@value #BASE_DIR_PROPERTY}. Its heap is {@value #HEAP_PROPERTY}, default
 * {@value LocalCassandra.Settings#DEFAULT_HEAP}: a suite whose tests leave many keyspaces behind needs more.
 */
public final class LocalCassandraExtension implements BeforeAllCallback, ParameterResolver {

    public static final String BASE_DIR_PROPERTY = "local.cassandra.base-dir";
    public static final String HEAP_PROPERTY = "local.cassandra.heap";

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalCassandraExtension.class);

    private static volatile LocalCassandra server;

    /** The running server; only inside tests of a class extended with this extension. */
    public static LocalCassandra server() {
        LocalCassandra current = server;
        if (current == null) {
            throw new IllegalStateException(
                    "No local Cassandra: annotate the test class with @ExtendWith(LocalCassandraExtension.class)");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        serverFor(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalCassandra.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return serverFor(extensionContext);
    }

    private static LocalCassandra serverFor(ExtensionContext context) {
        // The root context's store is closed when the whole test run ends, which stops the server.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunningServer.class, key -> RunningServer.start(), RunningServer.class)
                .cassandra;
    }

    static Path defaultBaseDir() {
        String configured = System.getProperty(BASE_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
        return Path.of("target", "local-cassandra-" + timestamp).toAbsolutePath();
    }

    private static final class RunningServer implements ExtensionContext.Store.CloseableResource {
        private final LocalCassandra cassandra;

        private RunningServer(LocalCassandra cassandra) {
            this.cassandra = cassandra;
        }

        static RunningServer start() {
            LocalCassandra cassandra = new LocalCassandra(LocalCassandra.Settings.builder(defaultBaseDir())
                    .heap(System.getProperty(HEAP_PROPERTY, LocalCassandra.Settings.DEFAULT_HEAP)).build());
            try {
                cassandra.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = cassandra;
            return new RunningServer(cassandra);
        }

        @Override
        public void close() {
            server = null;
            cassandra.stop();
        }
    }
}
