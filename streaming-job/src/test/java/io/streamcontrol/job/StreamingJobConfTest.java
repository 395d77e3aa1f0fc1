package io.streamcontrol.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.spark.connector.cql.CassandraConnector;
import com.datastax.spark.connector.cql.IpBasedContactInfo;
import com.datastax.spark.connector.cql.PasswordAuthConf;
import io.streamcontrol.contract.settings.CassandraSecrets;
import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.tables.CassandraUnavailableException;
import io.streamcontrol.job.cassandra.CurrentConnection;
import io.streamcontrol.job.source.ResumableSocketReceiver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.reflect.Field;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Spark configuration the job derives from its settings and the secrets of its environment. */
class StreamingJobConfTest {

    static final CassandraSecrets SECRETS = CassandraSecrets.fromEnvironment(Map.of(
            CassandraSecrets.PASSWORD_ENV, "pw-1", CassandraSecrets.TRUSTSTORE_PASSWORD_ENV, "pw-2",
            CassandraSecrets.KEYSTORE_PASSWORD_ENV, "pw-3"));

    @AfterEach
    void forgetTheConnection() {
        CurrentConnection.set(null);
    }

    @Test
    void credentialsAndTlsGoToTheConnectorsConfiguration() {
        JobSettings settings = JobSettings.parse("--checkpoint", "file:///c", "--cassandra-username", "analytics",
                "--cassandra-ssl", "true", "--cassandra-truststore", "/etc/tls/trust.p12", "--cassandra-truststore-type",
                "PKCS12", "--cassandra-keystore", "/etc/tls/client.jks", "--read-consistency", "LOCAL_ONE");

        SparkConf conf = StreamingJob.sparkConf(settings, SECRETS);

        assertThat(conf.get("spark.cassandra.auth.username")).isEqualTo("analytics");
        assertThat(conf.get("spark.cassandra.auth.password")).isEqualTo("pw-1");
        assertThat(conf.get("spark.cassandra.connection.ssl.enabled")).isEqualTo("true");
        assertThat(conf.get("spark.cassandra.connection.ssl.trustStore.path")).isEqualTo("/etc/tls/trust.p12");
        assertThat(conf.get("spark.cassandra.connection.ssl.trustStore.type")).isEqualTo("PKCS12");
        assertThat(conf.get("spark.cassandra.connection.ssl.trustStore.password")).isEqualTo("pw-2");
        assertThat(conf.get("spark.cassandra.connection.ssl.clientAuth.enabled")).isEqualTo("true");
        assertThat(conf.get("spark.cassandra.connection.ssl.keyStore.path")).isEqualTo("/etc/tls/client.jks");
        assertThat(conf.get("spark.cassandra.connection.ssl.keyStore.password")).isEqualTo("pw-3");
        assertThat(conf.get("spark.cassandra.input.consistency.level")).isEqualTo("LOCAL_ONE");
        // the connector's own view: the job's sessions and writers connect with these
        assertThat(password(CassandraConnector.apply(conf))).isEqualTo("pw-1");

        assertThat(String.join(" ", settings.toArguments())).doesNotContain("pw-1", "pw-2", "pw-3");
        assertThat(settings.toString()).doesNotContain("pw-1", "pw-2", "pw-3");
    }

    @Test
    void receivedBlocksAreStoredInChunksG1DoesNotTreatAsHumongous() {
        SparkConf conf = StreamingJob.sparkConf(JobSettings.parse("--checkpoint", "file:///c"), SECRETS);

        // G1's smallest region is 1 MB; an object of half a region or more is humongous
        assertThat(conf.getSizeAsBytes("spark.storage.unrollMemoryThreshold")).isLessThan(512 * 1024);
    }

    @Test
    void aChunkSizeGivenToSparkSubmitIsKept() {
        System.setProperty("spark.storage.unrollMemoryThreshold", "1m"); // how spark-submit passes --conf to a driver
        try {
            assertThat(StreamingJob.sparkConf(JobSettings.parse("--checkpoint", "file:///c"), SECRETS)
                    .getSizeAsBytes("spark.storage.unrollMemoryThreshold")).isEqualTo(1024 * 1024);
        } finally {
            System.clearProperty("spark.storage.unrollMemoryThreshold");
        }
    }

    @Test
    void withoutAUserOrTlsTheConnectionIsPlain() {
        SparkConf conf = StreamingJob.sparkConf(JobSettings.parse("--checkpoint", "file:///c"), SECRETS);

        assertThat(conf.contains("spark.cassandra.auth.username")).isFalse();
        assertThat(conf.contains("spark.cassandra.auth.password")).isFalse();
        assertThat(conf.get("spark.cassandra.connection.ssl.enabled")).isEqualTo("false");
        assertThat(conf.contains("spark.cassandra.connection.ssl.trustStore.path")).isFalse();
    }

    @Test
    void aReceiverRecoveredOnTheDriverTakesTheCurrentConnection() throws Exception {
        SparkConf old = StreamingJob.sparkConf(JobSettings.parse("--checkpoint", "file:///c",
                "--cassandra-username", "analytics"), CassandraSecrets.fromEnvironment(
                Map.of(CassandraSecrets.PASSWORD_ENV, "old-password")));
        ResumableSocketReceiver receiver = new ResumableSocketReceiver(JobSettings.parse("--checkpoint", "file:///c"),
                0, CassandraConnector.apply(old));
        byte[] checkpointed = serialize(receiver);

        // an executor in its own JVM: no current connection, the one it was sent
        assertThat(password(connectorOf(deserialize(checkpointed)))).isEqualTo("old-password");

        // the driver recovering from its checkpoint after the password changed
        CassandraConnector current = CassandraConnector.apply(StreamingJob.sparkConf(JobSettings.parse("--checkpoint",
                "file:///c", "--cassandra-username", "analytics"), CassandraSecrets.fromEnvironment(
                Map.of(CassandraSecrets.PASSWORD_ENV, "new-password"))));
        CurrentConnection.set(current);
        assertThat(connectorOf(deserialize(checkpointed))).isSameAs(current);
    }

    @Test
    void aRefusedLoginIsReportedInOneLine() {
        JobSettings settings = JobSettings.parse("--checkpoint", "file:///c", "--cassandra-host", "10.0.0.1",
                "--cassandra-username", "analytics");
        Exception driverError = new IllegalStateException("Could not reach any contact point");
        driverError.addSuppressed(new com.datastax.oss.driver.api.core.auth.AuthenticationException(
                new com.datastax.oss.driver.internal.core.metadata.DefaultEndPoint(
                        new java.net.InetSocketAddress("10.0.0.1", 9042)),
                "Provided username analytics and/or password are incorrect"));
        IOException failure = new IOException("Failed to open native connection to Cassandra", driverError);

        assertThat(CassandraUnavailableException.of(failure, settings).getMessage())
                .startsWith("Cassandra authentication failed at 10.0.0.1 port 9042 as analytics: ")
                .contains("Provided username analytics and/or password are incorrect")
                .doesNotContain("\n");
        assertThat(CassandraUnavailableException.of(new IOException("Connection refused"), settings).getMessage())
                .isEqualTo("Cannot connect to Cassandra at 10.0.0.1 port 9042: Connection refused");
    }

    private static String password(CassandraConnector connector) {
        return ((PasswordAuthConf) ((IpBasedContactInfo) connector.conf().contactInfo()).authConf()).password();
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private static Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return in.readObject();
        }
    }

    private static CassandraConnector connectorOf(Object receiver) throws ReflectiveOperationException {
        Field field = ResumableSocketReceiver.class.getDeclaredField("connector");
        field.setAccessible(true);
        return (CassandraConnector) field.get(receiver);
    }
}
