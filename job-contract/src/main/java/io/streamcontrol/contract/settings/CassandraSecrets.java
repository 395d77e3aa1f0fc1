package io.streamcontrol.contract.settings;

import java.util.Map;

/**
 * The passwords of the job's Cassandra connection. They never travel as arguments (visible in {@code ps}, in the
 * service's stored configuration and in logs): the driver reads them from its environment, which spark-submit's
 * environment becomes in local and client mode (see README, "Cassandra/DSE in production", for cluster mode).
 * Deliberately not {@link java.io.Serializable}, and its {@link #toString()} shows no value.
 *
 * @param password the password of {@code --cassandra-username}; null = none
 * @param truststorePassword the password of {@code --cassandra-truststore}; null = none
 * @param keystorePassword the password of {@code --cassandra-keystore} (and of its key); null = none
 */
public record CassandraSecrets(String password, String truststorePassword, String keystorePassword) {

    public static final String PASSWORD_ENV = "STREAMCONTROL_CASSANDRA_PASSWORD";
    public static final String TRUSTSTORE_PASSWORD_ENV = "STREAMCONTROL_CASSANDRA_TRUSTSTORE_PASSWORD";
    public static final String KEYSTORE_PASSWORD_ENV = "STREAMCONTROL_CASSANDRA_KEYSTORE_PASSWORD";
    /** The user name of the command-line tools (RequestStop, CqlQuery); the job itself takes --cassandra-username. */
    public static final String USERNAME_ENV = "STREAMCONTROL_CASSANDRA_USERNAME";

    public static final CassandraSecrets NONE = new CassandraSecrets(null, null, null);

    /** The secrets of an environment ({@code System.getenv()}); empty values count as absent. */
    public static CassandraSecrets fromEnvironment(Map<String, String> environment) {
        return new CassandraSecrets(value(environment, PASSWORD_ENV), value(environment, TRUSTSTORE_PASSWORD_ENV),
                value(environment, KEYSTORE_PASSWORD_ENV));
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * Fails, naming the setting, when the settings need a secret the environment does not hold.
     *
     * @throws InvalidSettingException if a user name is set without a password, or a keystore without its password
     */
    public void checkFor(JobSettings settings) {
        if (!settings.cassandraUsername().isEmpty() && password == null) {
            throw new InvalidSettingException("cassandra-username", "is set, but the environment holds no "
                    + PASSWORD_ENV + " (passwords are never arguments)");
        }
        if (!settings.cassandraKeystore().isEmpty() && keystorePassword == null) {
            throw new InvalidSettingException("cassandra-keystore", "is set, but the environment holds no "
                    + KEYSTORE_PASSWORD_ENV);
        }
    }

    @Override
    public String toString() {
        return "CassandraSecrets[password " + (password == null ? "absent" : "set") + ", truststore password "
                + (truststorePassword == null ? "absent" : "set") + ", keystore password "
                + (keystorePassword == null ? "absent" : "set") + "]";
    }
}
