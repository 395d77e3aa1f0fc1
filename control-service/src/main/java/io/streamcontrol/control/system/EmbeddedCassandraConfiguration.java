package io.streamcontrol.control.system;

import io.streamcontrol.cassandra.LocalCassandra;
import java.io.IOException;
import java.util.List;
import org.springframework.boot.cassandra.autoconfigure.CassandraConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The local default: a real single-node Cassandra in its own JVM, started before the CQL session and stopped with the
 * service. Only when {@code streamcontrol.cassandra.embedded=true} and no contact points are configured.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedCassandraConfiguration.Wanted.class)
class EmbeddedCassandraConfiguration {

    @Bean(destroyMethod = "stop")
    LocalCassandra embeddedCassandra(ControlCassandraProperties properties) throws IOException {
        return new LocalCassandra(LocalCassandra.Settings.builder(properties.embeddedDirectory())
                .nativePort(properties.embeddedPort())
                .heap(properties.embeddedHeap())
                .build()).start();
    }

    /** The service, and the jobs it launches, connect to the embedded server. */
    @Bean
    @Primary
    CassandraConnectionDetails embeddedCassandraConnection(LocalCassandra cassandra) {
        return new CassandraConnectionDetails() {
            @Override
            public List<Node> getContactPoints() {
                return List.of(new Node(cassandra.host(), cassandra.nativePort()));
            }

            @Override
            public String getLocalDatacenter() {
                return LocalCassandra.DATACENTER;
            }
        };
    }

    static class Wanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            var environment = context.getEnvironment();
            return environment.getProperty("streamcontrol.cassandra.embedded", Boolean.class, false)
                    && !environment.containsProperty("spring.cassandra.contact-points")
                    && !environment.containsProperty("spring.cassandra.contact-points[0]");
        }
    }
}
