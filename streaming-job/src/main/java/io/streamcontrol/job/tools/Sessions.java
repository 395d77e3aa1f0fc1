package io.streamcontrol.job.tools;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import io.streamcontrol.contract.settings.CassandraSecrets;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The CQL session of the command-line tools: one contact point, the local datacenter of
 * {@code STREAMCONTROL_CASSANDRA_LOCAL_DC} (default datacenter1), and, when {@code STREAMCONTROL_CASSANDRA_USERNAME}
 * is set, that user with the password of {@code STREAMCONTROL_CASSANDRA_PASSWORD} (never an argument). TLS as the
 * CQL driver configures it: {@code -Ddatastax-java-driver.advanced.ssl-engine-factory...}.
 */
final class Sessions {

    static final String LOCAL_DC_ENV = "STREAMCONTROL_CASSANDRA_LOCAL_DC";

    private Sessions() {
    }

    static CqlSession connect(String host, String port) {
        return builder(host, port, System.getenv()).build();
    }

    static CqlSessionBuilder builder(String host, String port, Map<String, String> environment) {
        CqlSessionBuilder builder = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(host, Integer.parseInt(port)))
                .withLocalDatacenter(environment.getOrDefault(LOCAL_DC_ENV, "datacenter1"));
        String user = environment.get(CassandraSecrets.USERNAME_ENV);
        if (user != null && !user.isEmpty()) {
            String password = CassandraSecrets.fromEnvironment(environment).password();
            if (password == null) {
                throw new IllegalArgumentException(CassandraSecrets.USERNAME_ENV + " is set but "
                        + CassandraSecrets.PASSWORD_ENV + " is not");
            }
            builder.withAuthCredentials(user, password);
        }
        return builder;
    }
}
