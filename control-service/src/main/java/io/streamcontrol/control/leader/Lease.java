package io.streamcontrol.control.leader;

/**
 * The reconciler's lease as Cassandra holds it: {@code holder} is the replica that holds it, null once it expired or
 * was released; {@code term} numbers the holders since the lease was first taken and never goes back (it is stored
 * without TTL).
 */
public record Lease(String holder, long term) {

    boolean isFree() {
        return holder == null;
    }
}
