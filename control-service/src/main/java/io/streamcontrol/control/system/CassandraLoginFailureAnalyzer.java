package io.streamcontrol.control.system;

import io.streamcontrol.contract.tables.CassandraUnavailableException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A start that fails because Cassandra refused the service's credentials says so in one sentence, instead of a
 * bean creation error around the driver's "Could not reach any contact point".
 */
class CassandraLoginFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        Throwable refused = CassandraUnavailableException.authenticationFailure(failure);
        if (refused == null) {
            return null;
        }
        return new FailureAnalysis("Cassandra authentication failed: the service could not log in with its"
                + " credentials (spring.cassandra.username/password): " + refused.getMessage(),
                "Check spring.cassandra.username and spring.cassandra.password (environment SPRING_CASSANDRA_USERNAME"
                        + " and SPRING_CASSANDRA_PASSWORD; in the Helm chart the Secret of cassandra.auth.existingSecret)"
                        + " and that the role exists in Cassandra WITH LOGIN = true.", failure);
    }
}
