package io.streamcontrol.contract.tables;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import io.streamcontrol.contract.settings.JobSettings;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * The job could not open its Cassandra session: the cluster refused its credentials, or could not be reached. The
 * message says which, in one line, and names the setting or environment variable to look at.
 */
public final class CassandraUnavailableException extends RuntimeException {

    private CassandraUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public static CassandraUnavailableException of(Throwable failure, JobSettings settings) {
        String where = settings.cassandraHost() + " port " + settings.cassandraPort();
        String authentication = authenticationError(failure);
        if (authentication != null) {
            String who = settings.cassandraUsername().isEmpty() ? "without credentials (--cassandra-username is empty)"
                    : "as " + settings.cassandraUsername();
            return new CassandraUnavailableException("Cassandra authentication failed at " + where + " " + who + ": "
                    + authentication, failure);
        }
        return new CassandraUnavailableException("Cannot connect to Cassandra at " + where + ": " + oneLine(failure),
                failure);
    }

    /**
     * The driver's AuthenticationException among the causes, the suppressed errors and the per-node errors of an
     * AllNodesFailedException, or null.
     */
    public static Throwable authenticationFailure(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.add(failure);
        while (!pending.isEmpty()) {
            Throwable t = pending.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t.getClass().getSimpleName().equals("AuthenticationException")) {
                return t;
            }
            if (t instanceof AllNodesFailedException all) {
                all.getAllErrors().values().forEach(pending::addAll);
            }
            if (t.getCause() != null) {
                pending.add(t.getCause());
            }
            Collections.addAll(pending, t.getSuppressed());
        }
        return null;
    }

    /** The message of the driver's AuthenticationException, or of an authentication error in the message; or null. */
    static String authenticationError(Throwable failure) {
        Throwable refused = authenticationFailure(failure);
        if (refused != null) {
            return refused.getMessage();
        }
        String text = String.valueOf(failure.getMessage());
        int at = text.indexOf("Authentication error");
        return at < 0 ? null : text.substring(at).replaceAll("\\s+", " ");
    }

    private static String oneLine(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = failure == root ? String.valueOf(failure.getMessage())
                : failure.getMessage() + " (" + root + ")";
        return message.replaceAll("\\s+", " ");
    }
}
