package io.streamcontrol.control.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.metadata.Node;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class CassandraLoginFailureAnalyzerTest {

    @Test
    void aRefusedLoginIsNamedWithWhatToCheck() {
        AuthenticationException refused = new AuthenticationException(
                new com.datastax.oss.driver.internal.core.metadata.DefaultEndPoint(
                        new InetSocketAddress("127.0.0.1", 9042)),
                "Provided username streamcontrol and/or password are incorrect");
        AllNodesFailedException all = AllNodesFailedException.fromErrors(
                List.of(Map.<Node, Throwable>entry(Mockito.mock(Node.class), refused)));
        BeanCreationException startup = new BeanCreationException("cassandraSession", "creation failed", all);

        FailureAnalysis analysis = new CassandraLoginFailureAnalyzer().analyze(startup);

        assertThat(analysis.getDescription()).startsWith("Cassandra authentication failed")
                .contains("Provided username streamcontrol and/or password are incorrect");
        assertThat(analysis.getAction()).contains("SPRING_CASSANDRA_PASSWORD");
        assertThat(new CassandraLoginFailureAnalyzer().analyze(new BeanCreationException("other"))).isNull();
    }
}
