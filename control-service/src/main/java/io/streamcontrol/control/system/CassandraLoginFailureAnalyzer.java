package io.streamcontrol.control.system;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start that fails because Cassandra refused the service's credentials says so in one sentence, instead of a
 * bean creation error around the driver's "Could not reach any contact point".
 */
class CassandraLoginFailureAnalyzer implements FailureAnalyzer {

    private static final String AUTHENTICATION_EXCEPTION = "AuthenticationException";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Throwable refused = find(failure);
        if (refused == null) {
            return null;
        }
        return new FailureAnalysis("Cassandra authentication failed: the service could not log in with its"
                + " credentials (spring.cassandra.username/password): " + refused.getMessage(),
                "Check spring.cassandra.username and spring.cassandra.password (environment SPRING_CASSANDRA_USERNAME"
                        + " and SPRING_CASSANDRA_PASSWORD; in the Helm chart the Secret of cassandra.auth.existingSecret)"
                        + " and that the role exists in Cassandra WITH LOGIN = true.", failure);
    }

    /** The driver's AuthenticationException among the causes and suppressed errors (where AllNodesFailed keeps them). */
    static Throwable find(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t.getClass().getSimpleName().equals(AUTHENTICATION_EXCEPTION)) {
                return t;
            }
            if (t instanceof com.datastax.oss.driver.api.core.AllNodesFailedException all) {
                all.getAllErrors().values().forEach(pending::addAll);
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            Collections.addAll(pending, t.getSuppressed());
        }
        return null;
    }
}
