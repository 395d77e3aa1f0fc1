package io.streamcontrol.job.tools;

import com.datastax.oss.driver.api.core.CqlSession;
import io.streamcontrol.contract.tables.StopRequests;

/**
 * Asks a running job to stop gracefully: {@code java -cp streaming-job.jar io.streamcontrol.job.tools.RequestStop
 * <cassandra-host> <cassandra-port> <keyspace> <job-name>}.
 */
public final class RequestStop {

    private RequestStop() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: RequestStop <cassandra-host> <cassandra-port> <keyspace> <job-name>");
            System.exit(2);
        }
        try (CqlSession session = Sessions.connect(args[0], args[1])) {
            new StopRequests(session, args[2], args[3]).request();
        }
        System.out.println("stop requested for job " + args[3]);
    }
}
