package io.streamcontrol.control.leader;

import com.datastax.oss.driver.api.core.CqlSession;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamcontrol.control.leader.Leadership.Acquire;
import io.streamcontrol.control.leader.Leadership.Renew;
import io.streamcontrol.control.leader.Leadership.Step;
import io.streamcontrol.control.leader.Leadership.Wait;
import io.streamcontrol.control.leader.LeaseTable.Outcome;
import io.streamcontrol.control.system.ControlKeyspace;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Which replica of the service is the reconciler: every replica takes part in the election of the {@code reconciler}
 * lease (see {@link LeaseTable}, {@link Leadership}) on a thread of its own, so a long reconciliation pass never delays
 * a renewal. The leader releases the lease when the service stops, so that another replica takes over at once.
 * {@code streamcontrol_leader} is 1 on the leader, 0 elsewhere. It stops first when the service stops (default phase
 * of a {@link SmartLifecycle}), while the web server still finishes its requests.
 */
@Component
public class LeaderElection implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);
    static final String LEASE = "reconciler";

    private final LeaseTable lease;
    private final Leadership leadership;
    private final LeaderProperties properties;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "leader-lease");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running;
    private volatile boolean failing;
    private volatile String lastSeenHolder;
    private volatile Instant leadingSince;

    @Autowired
    LeaderElection(CqlSession session, ControlKeyspace keyspace, LeaderProperties properties, MeterRegistry registry) {
        this(new LeaseTable(session, keyspace.table("leases"), LEASE), properties, registry);
    }

    LeaderElection(LeaseTable lease, LeaderProperties properties, MeterRegistry registry) {
        this.properties = properties;
        this.lease = lease;
        this.leadership = new Leadership(replicaName(), properties.ttl(), System::nanoTime);
        Gauge.builder("streamcontrol.leader", this, election -> election.isLeader() ? 1 : 0)
                .description("1 on the replica that holds the reconciler lease (runs the reconciliation loop), else 0")
                .register(registry);
    }

    /** This replica's name in the lease: host (the pod's name on Kubernetes), pid and a random part. */
    public String replica() {
        return leadership.holder();
    }

    /** The lease term this replica leads for now, if it leads. */
    public OptionalLong term() {
        return leadership.term();
    }

    /** Whether this replica still leads for {@code term}. */
    public boolean holds(long term) {
        return leadership.holds(term);
    }

    public boolean isLeader() {
        return leadership.term().isPresent();
    }

    /** Since when this replica leads for its current term, if it leads. */
    public Optional<Instant> leadingSince() {
        Instant since = leadingSince;
        return isLeader() && since != null ? Optional.of(since) : Optional.empty();
    }

    /** A job shows that a leader of {@code newerTerm} acted: this replica's older term is over. */
    public void superseded(long newerTerm) {
        LOG.warn("Replica {} no longer leads: a job was changed by the leader of term {}", replica(), newerTerm);
        leadership.superseded(newerTerm);
    }

    /** One step of the election: renew, acquire or look. A failure leaves the view to expire on its own. */
    void step() {
        try {
            Step step = leadership.next(lease::read);
            boolean led = isLeader();
            long sentAt = System.nanoTime();
            if (step instanceof Renew renew) {
                Outcome outcome = lease.renew(replica(), renew.term(), properties.ttl());
                if (outcome.applied()) {
                    leadership.granted(renew.term(), sentAt);
                    if (!led) {
                        leadingSince = Instant.now(); // its own term, which its view had let lapse
                    }
                } else {
                    leadership.lost();
                    LOG.warn("Replica {} lost the reconciler lease of term {}: {}", replica(), renew.term(),
                            describe(outcome.lease()));
                }
            } else if (step instanceof Acquire acquire) {
                Outcome outcome = lease.acquire(replica(), acquire.term(), acquire.previousTerm(), properties.ttl());
                if (outcome.applied()) {
                    leadership.granted(acquire.term(), sentAt);
                    leadingSince = Instant.now();
                    LOG.info("Replica {} leads: it took the reconciler lease, term {}", replica(), acquire.term());
                } else {
                    seen(outcome.lease());
                }
            } else if (step instanceof Wait wait) {
                seen(wait.lease());
            }
            if (failing) {
                failing = false;
                LOG.info("The reconciler lease can be read and written again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Could not read or write the reconciler lease (trying again every {}): {}",
                        properties.renewInterval(), e.toString());
            }
        }
    }

    private void seen(Lease current) {
        if (current.holder() != null && !current.holder().equals(lastSeenHolder)) {
            LOG.info("Replica {} stands by: {}", replica(), describe(current));
        }
        lastSeenHolder = current.holder();
    }

    private static String describe(Lease lease) {
        return lease.isFree() ? "the lease is free (term " + lease.term() + ")"
                : "replica " + lease.holder() + " leads (term " + lease.term() + ")";
    }

    @Override
    public void start() {
        running = true;
        long period = properties.renewInterval().toMillis();
        timer.scheduleWithFixedDelay(this::step, 0, period, TimeUnit.MILLISECONDS);
    }

    /** Stops taking part; a leader releases the lease so that another replica need not wait for it to expire. */
    @Override
    public void stop() {
        running = false;
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        OptionalLong term = leadership.term();
        leadership.lost();
        if (term.isPresent()) {
            try {
                if (lease.release(replica(), term.getAsLong()).applied()) {
                    LOG.info("Replica {} released the reconciler lease of term {}", replica(), term.getAsLong());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not release the reconciler lease (it expires within {}): {}", properties.ttl(),
                        e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
