package io.streamcontrol.control.jobs.settings;

import io.streamcontrol.contract.settings.CassandraSecrets;
import io.streamcontrol.contract.settings.InvalidSettingException;
import io.streamcontrol.contract.settings.JobSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.JksSslBundleProperties;
import org.springframework.boot.autoconfigure.ssl.SslProperties;
import org.springframework.boot.cassandra.autoconfigure.CassandraConnectionDetails;
import org.springframework.boot.cassandra.autoconfigure.CassandraProperties;
import org.springframework.boot.io.ApplicationResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * How the jobs connect to Cassandra: as the service itself does ({@code spring.cassandra.*}). Contact points, local
 * datacenter, user name and the TLS files become the job's arguments; the passwords (of the user, the truststore and
 * the keystore) become environment variables of spark-submit, so they never show in a command line, the stored
 * configuration or a log. A job definition cannot set any of them: the service owns the connection.
 *
 * <p>TLS comes from the SSL bundle of {@code spring.cassandra.ssl.bundle}; the jobs need files, so only a JKS or
 * PKCS12 bundle whose stores are files can be passed on. Anything else (a PEM bundle, a store on the class path) is
 * reported at start and fails every launch with that message; the service itself keeps working.
 */
@Component
class JobConnection {

    private static final Logger LOG = LoggerFactory.getLogger(JobConnection.class);

    /** What one launch gets: job arguments and the environment of spark-submit (whose toString shows no value). */
    record Launch(Map<String, String> settings, Map<String, String> environment) {
        Launch {
            settings = Map.copyOf(settings);
            environment = Map.copyOf(environment);
        }

        @Override
        public String toString() {
            return "Launch[settings=" + settings + ", environment=" + environment.keySet() + "]";
        }
    }

    private final Map<String, String> settings = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final String consistency;
    private final String problem;

    JobConnection(CassandraConnectionDetails details, CassandraProperties cassandra, SslProperties ssl) {
        List<CassandraConnectionDetails.Node> nodes = details.getContactPoints();
        settings.put("cassandra-host", String.join(",",
                nodes.stream().map(CassandraConnectionDetails.Node::host).distinct().toList()));
        settings.put("cassandra-port", String.valueOf(nodes.get(0).port()));
        settings.put("cassandra-local-dc", details.getLocalDatacenter() == null ? "datacenter1"
                : details.getLocalDatacenter());
        String username = details.getUsername();
        if (username != null && !username.isEmpty()) {
            settings.put("cassandra-username", username);
            put(CassandraSecrets.PASSWORD_ENV, details.getPassword());
        }
        this.consistency = cassandra.getRequest().getConsistency() == null ? null
                : cassandra.getRequest().getConsistency().name();
        String tlsProblem = tls(cassandra.getSsl(), ssl);
        this.problem = tlsProblem != null ? tlsProblem : check();
        if (problem != null) {
            LOG.warn("Jobs cannot be launched: {}", problem);
        }
    }

    /** The settings and environment of a launch. */
    Launch launch() {
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        return new Launch(settings, environment);
    }

    /** The connection settings as the job's parser checks them (the passwords are not settings). */
    Map<String, String> settings() {
        return settings;
    }

    /** The consistency level of the service's requests ({@code spring.cassandra.request.consistency}), if set. */
    Optional<String> consistency() {
        return Optional.ofNullable(consistency);
    }

    private String tls(CassandraProperties.Ssl cassandraSsl, SslProperties ssl) {
        String bundle = cassandraSsl.getBundle();
        if (bundle == null || bundle.isBlank()) {
            if (cassandraSsl.isEnabled()) {
                settings.put("cassandra-ssl", "true"); // the JVM's default trust, as the service does
            }
            return null;
        }
        settings.put("cassandra-ssl", "true");
        JksSslBundleProperties jks = ssl.getBundle().getJks().get(bundle);
        if (jks == null) {
            return "spring.cassandra.ssl.bundle '" + bundle + "' is not a JKS/PKCS12 bundle (spring.ssl.bundle.jks."
                    + bundle + ".*)" + (ssl.getBundle().getPem().containsKey(bundle) ? " but a PEM one" : "")
                    + ": the jobs' Cassandra connector needs a truststore (and keystore) file of type JKS or PKCS12";
        }
        String trustProblem = store(jks.getTruststore(), "truststore", CassandraSecrets.TRUSTSTORE_PASSWORD_ENV, bundle);
        if (trustProblem != null) {
            return trustProblem;
        }
        if (jks.getKey().getPassword() != null && !jks.getKey().getPassword().equals(jks.getKeystore().getPassword())) {
            return "spring.ssl.bundle.jks." + bundle + ".key.password differs from the keystore password: the jobs'"
                    + " Cassandra connector opens the key with the keystore password";
        }
        return store(jks.getKeystore(), "keystore", CassandraSecrets.KEYSTORE_PASSWORD_ENV, bundle);
    }

    private String store(JksSslBundleProperties.Store store, String kind, String passwordEnv, String bundle) {
        if (store.getLocation() == null || store.getLocation().isBlank()) {
            return null;
        }
        String property = "spring.ssl.bundle.jks." + bundle + "." + kind;
        Resource resource = ApplicationResourceLoader.get().getResource(store.getLocation());
        String path;
        try {
            if (!resource.isFile()) {
                return property + ".location " + store.getLocation() + " is not a file: the jobs read their "
                        + kind + " from a file (give a file: location)";
            }
            path = resource.getFile().getAbsolutePath();
        } catch (IOException e) {
            return property + ".location " + store.getLocation() + " cannot be read as a file: " + e.getMessage();
        }
        String type = store.getType() == null ? "JKS" : store.getType().toUpperCase(Locale.ROOT);
        settings.put("cassandra-" + kind, path);
        settings.put("cassandra-" + kind + "-type", type);
        put(passwordEnv, store.getPassword());
        return null;
    }

    /** Whether the job's own parser accepts these settings (a path with a space, a store type it does not know). */
    private String check() {
        List<String> arguments = new ArrayList<>(List.of("--checkpoint", "file:///check"));
        settings.forEach((name, value) -> {
            arguments.add("--" + name);
            arguments.add(value);
        });
        try {
            JobSettings parsed = JobSettings.parse(arguments.toArray(String[]::new));
            CassandraSecrets.fromEnvironment(environment).checkFor(parsed);
            return null;
        } catch (InvalidSettingException e) {
            return "the service's Cassandra connection cannot be passed on to jobs: " + e.getMessage();
        }
    }

    private void put(String name, String value) {
        if (value != null && !value.isEmpty()) {
            environment.put(name, value);
        }
    }
}
