package io.streamcontrol.control.leader;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The lease that makes one replica of the service the reconciler (the reconciliation loop and the restart policy).
 *
 * @param leaseDuration at most this long after the leader died (or lost Cassandra) another replica leads
 * @param renewInterval how often the leader renews its lease and the other replicas look whether it is free
 */
@ConfigurationProperties(prefix = "streamcontrol.leader")
public record LeaderProperties(
        @DefaultValue("15s") Duration leaseDuration,
        @DefaultValue("3s") Duration renewInterval) {

    public LeaderProperties {
        if (renewInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("streamcontrol.leader.renew-interval must be at least 100ms");
        }
        // the leader must renew while its own view of the lease is valid (see Leadership)
        if (ttl(leaseDuration, renewInterval).minus(Leadership.TTL_RESOLUTION).compareTo(renewInterval) <= 0) {
            throw new IllegalArgumentException("streamcontrol.leader.lease-duration (" + leaseDuration + ") must be"
                    + " longer than twice streamcontrol.leader.renew-interval (" + renewInterval + ") plus 1s, in"
                    + " whole seconds");
        }
    }

    /**
     * The TTL of the lease in Cassandra, in whole seconds: the lease duration less one renew interval, since a replica
     * that finds the lease taken looks again only a renew interval later.
     */
    public Duration ttl() {
        return ttl(leaseDuration, renewInterval);
    }

    private static Duration ttl(Duration leaseDuration, Duration renewInterval) {
        return Duration.ofSeconds(leaseDuration.minus(renewInterval).toSeconds());
    }
}
