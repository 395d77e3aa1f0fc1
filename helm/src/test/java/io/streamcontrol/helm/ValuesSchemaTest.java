package io.streamcontrol.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Helm refuses values that break values.schema.json, and the templates refuse inconsistent settings. */
class ValuesSchemaTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # what is wrong                | values                                                      | error names
            wrong type                     | service: {port: http}                                       | /service/port
            port out of range              | service: {port: 70000}                                      | /service/port
            unknown top-level key          | replicas: 2                                                 | replicas
            unknown nested key             | cassandra: {contactPoint: [db:9042]}                        | contactPoint
            invalid pull policy            | image: {pullPolicy: Sometimes}                              | /image/pullPolicy
            invalid deploy mode            | jobs: {spark: {deployMode: both}}                           | /jobs/spark/deployMode
            invalid consistency            | cassandra: {consistency: STRONG}                            | /cassandra/consistency
            job replication without count  | cassandra: {jobReplication: 'dc1,dc2:3'}                    | /cassandra/jobReplication
            invalid truststore type        | cassandra: {tls: {truststoreType: P12}}                     | /cassandra/tls/truststoreType
            empty image repository         | image: {repository: ''}                                     | /image/repository
            no contact point               | cassandra: {contactPoints: []}                              | /cassandra/contactPoints
            invalid master                 | jobs: {spark: {master: 'local[x]'}}                         | /jobs/spark/master
            non-Spark key in sparkConf     | jobs: {sparkConf: {executor.memory: 2g}}                    | 'executor.memory' does not match pattern
            bad duration                   | jobs: {reconcileInterval: five seconds}                     | /jobs/reconcileInterval
            negative replicas              | replicaCount: -1                                            | /replicaCount
            unknown anti-affinity preset   | podAntiAffinity: always                                     | /podAntiAffinity
            budget of no pod               | podDisruptionBudget: {maxUnavailable: 0}                    | /podDisruptionBudget/maxUnavailable
            lease of no duration           | leader: {leaseDuration: soon}                               | /leader/leaseDuration
            resources of the wrong shape   | resources: {requests: {memory: [1Gi]}}                      | /resources/requests/memory
            TLS without its secret         | cassandra: {tls: {enabled: true}}                           | /cassandra/tls
            invalid ingress path type      | ingress: {hosts: [{host: a.example.com, paths: [{path: /, pathType: Any}]}]} | pathType
            """)
    void refusesValuesThatBreakTheSchema(String what, String values, String errorNames) {
        assertThatThrownBy(() -> RenderedChart.renderYaml(dir, values))
                .as(what)
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(errorNames);
    }

    @Test
    void kubernetesMasterNeedsARemoteCheckpointBase() {
        assertThatThrownBy(() -> RenderedChart.renderYaml(dir, """
                jobs:
                  spark:
                    master: k8s://https://kubernetes.default.svc
                    deployMode: cluster
                """)).hasMessageContaining("jobs.checkpointBase must be a remote URI");
    }

    @Test
    void acceptsTheDocumentedAlternatives() {
        RenderedChart chart = RenderedChart.renderYaml(dir, """
                image: {digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
                service: {type: NodePort, nodePort: 30080}
                cassandra:
                  tls: {enabled: true, existingSecret: ca, truststoreType: PEM, truststoreKey: ca.crt}
                jobs:
                  spark: {master: yarn, deployMode: cluster}
                  checkpointBase: dsefs:///checkpoints
                """);

        assertThat(RenderedChart.at(chart.container(), "image")).isEqualTo("stream-control/control-service@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(RenderedChart.at(chart.applicationConfig(), "spring.ssl.bundle.pem.cassandra.truststore.certificate"))
                .isEqualTo("file:/etc/stream-control/tls/cassandra/ca.crt");
        assertThat(chart.env("SPRING_SSL_BUNDLE_JKS_CASSANDRA_TRUSTSTORE_PASSWORD")).isNull();
    }
}
