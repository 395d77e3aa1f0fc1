package io.streamcontrol.control.it;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.cassandra.LocalCassandra;
import io.streamcontrol.cassandra.LocalCassandraExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings of a service under test that launches real jobs, and a session to the suite's shared Cassandra.
 *
 * <p>An instance is the fixture of one integration test class, registered as a static field
 * ({@code @RegisterExtension static final ItService IT = ItService.workingIn("name")...}): before the class its work
 * directory {@code target/it-work/<name>} is emptied, then, as asked, a session of the test to the suite's shared
 * Cassandra is opened ({@link #withSession()}) and a standalone Spark cluster for one job is started
 * ({@link #withCluster()}); after the class the drivers whose command line holds a marker are killed
 * ({@link #killingDrivers}: drivers outlive the service that launched them), then the cluster and the session are
 * closed. A static field is registered after the class's {@code @ExtendWith(LocalCassandraExtension.class)}, which
 * the session needs.
 */
final class ItService implements BeforeAllCallback, AfterAllCallback {

    private final Path work;
    private boolean opensSession;
    private boolean startsCluster;
    private String driverMarker;
    private CqlSession session;
    private SparkStandaloneCluster cluster;
    private boolean setUpDone;
    private AssertionError setUpFailed;

    private ItService(Path work) {
        this.work = work;
    }

    /** The fixture of a test class whose files go to {@code target/it-work/<name>}. */
    static ItService workingIn(String name) {
        return new ItService(Path.of("target", "it-work", name).toAbsolutePath());
    }

    /** A session of the test to the suite's shared Cassandra ({@link #session()}). */
    ItService withSession() {
        opensSession = true;
        return this;
    }

    /** A standalone cluster for one job, under {@code spark} of the work directory ({@link #cluster()}). */
    ItService withCluster() {
        startsCluster = true;
        return this;
    }

    /** After the class, the drivers whose command line holds {@code marker} are killed. */
    ItService killingDrivers(String marker) {
        driverMarker = marker;
        return this;
    }

    Path work() {
        return work;
    }

    CqlSession session() {
        return session;
    }

    SparkStandaloneCluster cluster() {
        return cluster;
    }

    /**
     * The service under test on the suite's shared Cassandra, launching jobs ({@link #launchingJobs}) with this work
     * directory.
     */
    void serviceLaunchingJobs(DynamicPropertyRegistry registry, String controlKeyspace) {
        onSharedCassandra(registry);
        launchingJobs(registry, controlKeyspace, work);
    }

    /** A test class's setup that needs the running service, hence a test instance. */
    interface InstanceSetUp {
        void run() throws Exception;
    }

    /**
     * Runs {@code setUp} in the class's first {@code @BeforeEach} only. When it fails, that test and every later one
     * fail with the same error ({@code failure}, caused by the setup's) instead of setting up again.
     */
    void setUpOnce(String failure, InstanceSetUp setUp) {
        if (setUpFailed != null) {
            throw setUpFailed;
        }
        if (setUpDone) {
            return;
        }
        try {
            setUp.run();
            setUpDone = true;
        } catch (Exception | AssertionError e) {
            setUpFailed = new AssertionError(failure, e);
            throw setUpFailed;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        deleteRecursively(work);
        if (opensSession) {
            session = sharedCassandraSession();
        }
        if (startsCluster) {
            cluster = SparkStandaloneCluster.forOneJob(work.resolve("spark"));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driverMarker != null) {
            ServiceProcess.killDrivers(driverMarker);
        }
        if (cluster != null) {
            cluster.close(); // ends the driver and its executor
        }
        if (session != null) {
            session.close();
        }
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

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
