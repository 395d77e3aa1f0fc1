package io.streamcontrol.control.it;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The settings of a service under test that launches real jobs, and a session to the suite's shared Cassandra. */
final class ItService {

    private ItService() {
    }

    /** The suite's shared Cassandra as the service's own. */
    static void onSharedCassandra(DynamicPropertyRegistry registry) {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        registry.add("spring.cassandra.contact-points", () -> cassandra.host() + ":" + cassandra.nativePort());
        registry.add("spring.cassandra.local-datacenter", () -> LocalCassandra.DATACENTER);
    }

    /**
     * Jobs of the build's SPARK_HOME and job jar, logs and checkpoints under {@code work}, the control tables in
     * {@code controlKeyspace}, and reconciliation and metrics every second.
     */
    static void launchingJobs(DynamicPropertyRegistry registry, String controlKeyspace, Path work) {
        registry.add("streamcontrol.cassandra.control-keyspace", () -> controlKeyspace);
        registry.add("streamcontrol.spark.home", () -> System.getProperty("spark.home"));
        registry.add("streamcontrol.spark.job-jar", () -> System.getProperty("job.jar"));
        registry.add("streamcontrol.jobs.work-directory", () -> work.resolve("jobs").toString());
        registry.add("streamcontrol.jobs.checkpoint-base", () -> work.resolve("checkpoints").toUri().toString());
        registry.add("streamcontrol.jobs.reconcile-interval", () -> "1s");
        registry.add("streamcontrol.metrics.poll-interval", () -> "1s");
    }

    /** A session of the test itself to the shared Cassandra. */
    static CqlSession sharedCassandraSession() {
        LocalCassandra cassandra = LocalCassandraExtension.server();
        return CqlSession.builder().addContactPoint(new InetSocketAddress(cassandra.host(), cassandra.nativePort()))
                .withLocalDatacenter(LocalCassandra.DATACENTER).build();
    }
}
