package io.streamcontrol.control.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import io.streamcontrol.control.leader.LeaseTable.Outcome;
import io.streamcontrol.control.system.ControlSchema;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/** The lease's lightweight transactions and the election on them, against the real Cassandra of the suite. */
@ExtendWith(LocalCassandraExtension.class)
class LeaseTableIT {

    static final String KEYSPACE = "it_control_leases";
    static final String TABLE = KEYSPACE + ".leases";
    static final Duration TTL = Duration.ofSeconds(1);

    static CqlSession session;

    @BeforeAll
    static void connect() {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        session = CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter(LocalCassandra.DATACENTER).build();
        ControlSchema.migrate(session, KEYSPACE, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    }

    @AfterAll
    static void close() {
        if (session != null) {
            session.close();
        }
    }

    static LeaseTable lease(TestInfo test) {
        return new LeaseTable(session, TABLE, test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void oneHolderAtATimeAndOnlyItRenews(TestInfo test) {
        LeaseTable lease = lease(test);
        assertThat(lease.read()).isEqualTo(new Lease(null, 0));

        assertThat(lease.acquire("a", 1, 0, Duration.ofSeconds(30))).isEqualTo(new Outcome(true, new Lease("a", 1)));
        assertThat(lease.acquire("b", 1, 0, Duration.ofSeconds(30))).as("taken")
                .isEqualTo(new Outcome(false, new Lease("a", 1)));
        assertThat(lease.renew("b", 1, Duration.ofSeconds(30))).isEqualTo(new Outcome(false, new Lease("a", 1)));
        assertThat(lease.renew("a", 1, Duration.ofSeconds(30)).applied()).isTrue();
        assertThat(lease.renew("a", 2, Duration.ofSeconds(30)).applied()).as("another term").isFalse();
        assertThat(lease.read()).isEqualTo(new Lease("a", 1));
    }

    @Test
    void anExpiredLeaseKeepsItsTermAndTheNextHolderTakesTheNextOne(TestInfo test) {
        LeaseTable lease = lease(test);
        assertThat(lease.acquire("a", 1, 0, TTL).applied()).isTrue();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> lease.read().equals(new Lease(null, 1)));
        assertThat(lease.renew("a", 1, TTL).applied()).as("an expired holder cannot renew").isFalse();
        assertThat(lease.acquire("b", 1, 0, Duration.ofSeconds(30)).applied()).as("a stale term").isFalse();
        assertThat(lease.acquire("b", 2, 1, Duration.ofSeconds(30))).isEqualTo(new Outcome(true, new Lease("b", 2)));
        assertThat(lease.renew("a", 1, TTL)).isEqualTo(new Outcome(false, new Lease("b", 2)));
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce(TestInfo test) {
        LeaseTable lease = lease(test);
        assertThat(lease.acquire("a", 1, 0, Duration.ofSeconds(30)).applied()).isTrue();

        assertThat(lease.release("b", 1).applied()).as("not its lease").isFalse();
        assertThat(lease.release("a", 1).applied()).isTrue();
        assertThat(lease.read()).isEqualTo(new Lease(null, 1));
        assertThat(lease.acquire("b", 2, 1, Duration.ofSeconds(30)).applied()).isTrue();
    }

    @Test
    void exactlyOneElectionLeadsAndAStoppedLeaderHandsOverAtOnce(TestInfo test) {
        LeaderProperties properties = new LeaderProperties(Duration.ofSeconds(4), Duration.ofSeconds(1));
        LeaderElection a = new LeaderElection(lease(test), properties, new SimpleMeterRegistry());
        LeaderElection b = new LeaderElection(lease(test), properties, new SimpleMeterRegistry());

        a.step();
        b.step();
        assertThat(a.term()).hasValue(1);
        assertThat(b.isLeader()).isFalse();
        a.step();
        b.step();
        assertThat(a.holds(1)).as("renewed").isTrue();
        assertThat(b.isLeader()).isFalse();

        a.stop();
        assertThat(a.isLeader()).isFalse();
        b.step();
        assertThat(b.term()).hasValue(2);

        LeaderElection restarted = new LeaderElection(lease(test), properties, new SimpleMeterRegistry());
        restarted.step();
        assertThat(restarted.isLeader()).as("the former leader, restarted").isFalse();
        assertThat(b.holds(2)).isTrue();
    }
}
