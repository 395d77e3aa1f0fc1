package io.streamcontrol.job.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.streamcontrol.contract.tables.DriverTable;
import io.streamcontrol.contract.tables.DriverTable.DriverRow;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class DriverHeartbeatTest {

    /** A CQL session that records the statements it executes, or fails them while {@code down}. */
    static final class FakeSession {
        final List<String> executed = new CopyOnWriteArrayList<>();
        volatile boolean down;

        CqlSession session() {
            return proxy(CqlSession.class, (method, args) -> switch (method) {
                case "prepare" -> prepared((String) args[0]);
                case "execute" -> {
                    if (down) {
                        throw new IllegalStateException("Cassandra is down");
                    }
                    executed.add(((BoundStatement) args[0]).getPreparedStatement().getQuery().split(" ")[0]);
                    yield null;
                }
                default -> throw new UnsupportedOperationException(method);
            });
        }

        private static PreparedStatement prepared(String query) {
            PreparedStatement[] self = new PreparedStatement[1];
            self[0] = proxy(PreparedStatement.class, (method, args) -> switch (method) {
                case "getQuery" -> query;
                case "bind" -> proxy(BoundStatement.class, (m, a) -> {
                    if (m.equals("getPreparedStatement")) {
                        return self[0];
                    }
                    throw new UnsupportedOperationException(m);
                });
                default -> throw new UnsupportedOperationException(method);
            });
            return self[0];
        }

        interface Handler {
            Object handle(String method, Object[] args);
        }

        @SuppressWarnings("unchecked")
        static <T> T proxy(Class<T> type, Handler handler) {
            return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (p, method, args) -> handler.handle(method.getName(), args));
        }
    }

    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final DriverRow driver = new DriverRow("job", "launch-1", "local-1", 42, "host", null, now, now, null);

    @Test
    void registersThenBeatsAndMarksACleanStop() throws Exception {
        FakeSession cassandra = new FakeSession();
        DriverHeartbeat heartbeat = new DriverHeartbeat(new DriverTable(cassandra.session(), "ks", "job"),
                Duration.ofMillis(20), new CassandraOutage(Duration.ofHours(1)), since -> {
                    throw new AssertionError("no outage this long");
                }).start(driver);
        await().atMost(Duration.ofSeconds(5)).until(() -> cassandra.executed.size() >= 3);
        heartbeat.stopped();
        List<String> executed = List.copyOf(cassandra.executed);
        assertThat(executed.get(0)).isEqualTo("INSERT");
        assertThat(executed.subList(1, executed.size())).containsOnly("UPDATE");
    }

    @Test
    void aFailedWriteNeverStopsTheBeatAndIsTriedAgain() throws Exception {
        FakeSession cassandra = new FakeSession();
        cassandra.down = true;
        DriverHeartbeat heartbeat = new DriverHeartbeat(new DriverTable(cassandra.session(), "ks", "job"),
                Duration.ofMillis(20), new CassandraOutage(Duration.ofHours(1)), since -> {
                    throw new AssertionError("no outage this long");
                }).start(driver);
        Thread.sleep(100);
        assertThat(cassandra.executed).isEmpty();

        cassandra.down = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> cassandra.executed.size() >= 2);
        assertThat(cassandra.executed.get(0)).as("the registration comes first, once Cassandra answers")
                .isEqualTo("INSERT");
        heartbeat.stopped();
    }

    @Test
    void anOutageLongerThanTheLimitIsHandedOnOnce() throws Exception {
        FakeSession cassandra = new FakeSession();
        List<Instant> outages = new CopyOnWriteArrayList<>();
        Instant before = Instant.now();
        DriverHeartbeat heartbeat = new DriverHeartbeat(new DriverTable(cassandra.session(), "ks", "job"),
                Duration.ofMillis(20), new CassandraOutage(Duration.ofMillis(200)), outages::add).start(driver);
        await().atMost(Duration.ofSeconds(5)).until(() -> cassandra.executed.size() >= 2);
        cassandra.down = true;
        Instant down = Instant.now();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outages.isEmpty());
        Thread.sleep(200);
        assertThat(outages).hasSize(1);
        assertThat(outages.get(0)).isAfterOrEqualTo(before).isBeforeOrEqualTo(Instant.now());
        assertThat(Duration.between(outages.get(0), Instant.now())).isGreaterThan(Duration.ofMillis(200));
        assertThat(outages.get(0)).as("counted from the first failed write").isAfterOrEqualTo(down.minusMillis(50));
        heartbeat.close();
    }
}
