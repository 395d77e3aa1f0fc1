package io.streamcontrol.helm;

import static io.streamcontrol.helm.RenderedChart.FULLNAME;
import static io.streamcontrol.helm.RenderedChart.NAMESPACE;
import static io.streamcontrol.helm.RenderedChart.at;
import static io.streamcontrol.helm.RenderedChart.list;
import static io.streamcontrol.helm.RenderedChart.map;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The chart rendered by real Helm, with default values and with every optional part on. */
class HelmChartTest {

    private static final String CONFIG_DIR = "/etc/stream-control/config";

    @Test
    void lintsCleanInStrictMode() {
        LintResult result = new Helm(RenderedChart.CHART_DIR).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class DefaultValues {

        RenderedChart chart;

        @BeforeAll
        void render() {
            chart = RenderedChart.render();
        }

        @Test
        void rendersOnlyTheCoreObjects() {
            assertThat(chart.objects).extracting(o -> o.get("kind") + "/" + at(o, "metadata.name"))
                    .containsExactlyInAnyOrder("ServiceAccount/" + FULLNAME, "ConfigMap/" + FULLNAME,
                            "Service/" + FULLNAME, "Deployment/" + FULLNAME);
            assertThat(chart.objects).allSatisfy(o -> assertThat(at(o, "metadata.namespace")).isEqualTo(NAMESPACE));
        }

        @Test
        void probesUseTheActuatorHealthGroups() {
            Map<String, Object> container = chart.container();

            assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(List.of(at(container, "livenessProbe.httpGet.port"), at(container, "readinessProbe.httpGet.port"),
                    at(container, "startupProbe.httpGet.port"))).containsOnly("http");
            // the startup budget covers a slow start (15-30 s) several times over
            int startupSeconds = (Integer) at(container, "startupProbe.periodSeconds")
                    * (Integer) at(container, "startupProbe.failureThreshold");
            assertThat(startupSeconds).isGreaterThanOrEqualTo(120);
            assertThat(list(container.get("ports"))).singleElement()
                    .satisfies(p -> assertThat(map(p)).containsEntry("name", "http").containsEntry("containerPort", 8080));
        }

        @Test
        void runsAsNonRootWithReadOnlyRootAndNoCapabilities() {
            Map<String, Object> pod = map(at(chart.deployment(), "spec.template.spec.securityContext"));
            Map<String, Object> container = map(chart.container().get("securityContext"));

            assertThat(pod).containsEntry("runAsNonRoot", true).containsEntry("runAsUser", 10001)
                    .containsEntry("fsGroup", 10001);
            assertThat(at(pod, "seccompProfile.type")).isEqualTo("RuntimeDefault");
            assertThat(container).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false).containsEntry("runAsNonRoot", true);
            assertThat(list(at(container, "capabilities.drop"))).containsExactly("ALL");
            assertThat(at(chart.deployment(), "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
            assertThat(at(chart.get("ServiceAccount", FULLNAME), "automountServiceAccountToken")).isEqualTo(false);
        }

        @Test
        void listensOnAllAddressesAndReadsTheMountedConfiguration() {
            assertThat(chart.env("SERVER_ADDRESS")).containsEntry("value", "0.0.0.0");
            assertThat(chart.env("SPRING_CONFIG_ADDITIONAL_LOCATION"))
                    .containsEntry("value", "file:" + CONFIG_DIR + "/application.yaml");
            assertThat(chart.volumeMount("config")).containsEntry("mountPath", CONFIG_DIR).containsEntry("readOnly", true);
            assertThat(at(chart.volume("config"), "configMap.name")).isEqualTo(FULLNAME);
            assertThat(at(chart.deployment(), "spec.template.metadata.annotations.checksum/config")).isNotNull();
        }

        @Test
        void everyWritablePlaceIsAnEmptyDirVolume() {
            Map<String, Object> config = chart.applicationConfig();
            String workDirectory = (String) at(config, "streamcontrol.jobs.work-directory");
            String checkpointBase = (String) at(config, "streamcontrol.jobs.checkpoint-base");

            assertThat(chart.volumeMount("tmp")).containsEntry("mountPath", "/tmp");
            assertThat(chart.volumeMount("work")).containsEntry("mountPath", workDirectory);
            assertThat(checkpointBase).isEqualTo("file://" + chart.volumeMount("checkpoints").get("mountPath"));
            for (String volume : List.of("tmp", "work", "checkpoints")) {
                assertThat(chart.volume(volume)).containsKey("emptyDir");
            }
            // every mount has its volume
            List<String> volumes = list(at(chart.deployment(), "spec.template.spec.volumes")).stream()
                    .map(v -> (String) map(v).get("name")).toList();
            assertThat(list(chart.container().get("volumeMounts"))).allSatisfy(m -> assertThat(volumes).contains(
                    (String) map(m).get("name")));
        }

        @Test
        void configurationHasTheServiceDefaultsForLocalDrivers() {
            Map<String, Object> config = chart.applicationConfig();

            assertThat(list(at(config, "spring.cassandra.contact-points"))).containsExactly("cassandra:9042");
            assertThat(at(config, "spring.cassandra.local-datacenter")).isEqualTo("datacenter1");
            assertThat(at(config, "spring.cassandra.request.consistency")).isEqualTo("LOCAL_QUORUM");
            assertThat(at(config, "streamcontrol.cassandra.control-replication"))
                    .isEqualTo("{'class': 'NetworkTopologyStrategy', 'datacenter1': 3}");
            assertThat(at(config, "streamcontrol.cassandra.job-replication")).isEqualTo("datacenter1:3");
            assertThat(at(config, "streamcontrol.jobs.spark.master")).isEqualTo("local[4]");
            assertThat(at(config, "streamcontrol.jobs.spark.deploy-mode")).isEqualTo("client");
            assertThat(at(config, "streamcontrol.jobs.restart-policy.max-attempts")).isEqualTo(3);
            assertThat(at(config, "streamcontrol.jobs.reconcile-interval")).isEqualTo("5s");
            assertThat(at(config, "streamcontrol.jobs.standby.enabled")).isEqualTo(false);
            assertThat(at(config, "streamcontrol.jobs.standby.idle-timeout")).isEqualTo("1h");
            assertThat(at(config, "streamcontrol.metrics.poll-interval")).isEqualTo("5s");
            // map keys in brackets: Spring keeps them as written (dots, case, underscores)
            assertThat(map(at(config, "streamcontrol.jobs.spark-conf")))
                    .containsEntry("[spark.driver.host]", "127.0.0.1")
                    .containsEntry("[spark.driver.bindAddress]", "127.0.0.1")
                    .doesNotContainKey("[spark.kubernetes.container.image]");
            assertThat(map(at(config, "streamcontrol.spark.environment"))).containsEntry("[SPARK_LOCAL_IP]", "127.0.0.1");
            assertThat(at(config, "spring.config.import")).isNull();
            assertThat(at(config, "spring.ssl")).isNull();
            assertThat(at(config, "spring.security")).isNull();
        }

        @Test
        void oneReplicaSpreadOverNodesReplacedByARollingUpdateWithTheLeaseSettings() {
            Map<String, Object> deployment = chart.deployment();
            Map<String, Object> config = chart.applicationConfig();

            assertThat(at(deployment, "spec.replicas")).isEqualTo(1);
            assertThat(at(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
            assertThat(list(at(deployment, "spec.template.spec.affinity.podAntiAffinity"
                    + ".preferredDuringSchedulingIgnoredDuringExecution"))).singleElement().satisfies(term -> {
                        assertThat(map(term)).containsEntry("weight", 100);
                        assertThat(at(term, "podAffinityTerm.topologyKey")).isEqualTo("kubernetes.io/hostname");
                        assertThat(at(term, "podAffinityTerm.labelSelector.matchLabels"))
                                .isEqualTo(at(deployment, "spec.selector.matchLabels"));
                    });
            assertThat(at(config, "streamcontrol.leader.lease-duration")).isEqualTo("15s");
            assertThat(at(config, "streamcontrol.leader.renew-interval")).isEqualTo("3s");
            // readiness is the service's own readiness group, which does not depend on leading
            assertThat(at(chart.container(), "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            assertThat(chart.has("PodDisruptionBudget")).as("a budget for one pod protects nothing").isFalse();
        }

        @Test
        void referencesNoSecret() {
            assertThat(chart.has("Secret")).isFalse();
            assertThat(list(chart.container().get("env"))).noneMatch(e -> map(e).containsKey("valueFrom")
                    && at(e, "valueFrom.secretKeyRef") != null);
        }

        @Test
        void serviceSelectsThePods() {
            Map<String, Object> service = chart.get("Service", FULLNAME);
            Map<String, Object> podLabels = map(at(chart.deployment(), "spec.template.metadata.labels"));

            assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec.selector")));
            assertThat(map(at(chart.deployment(), "spec.selector.matchLabels"))).isEqualTo(map(at(service, "spec.selector")));
            assertThat(list(at(service, "spec.ports"))).singleElement().satisfies(p -> assertThat(map(p))
                    .containsEntry("name", "http").containsEntry("port", 8080).containsEntry("targetPort", "http"));
        }

        /** The console's session lives in the replica that signed the person in. */
        @Test
        void serviceKeepsEachClientOnOneReplica() {
            Map<String, Object> service = chart.get("Service", FULLNAME);

            assertThat(at(service, "spec.sessionAffinity")).isEqualTo("ClientIP");
            assertThat(at(service, "spec.sessionAffinityConfig.clientIP.timeoutSeconds")).isEqualTo(10800);
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class EveryOptionalPartOn {

        RenderedChart chart;

        @BeforeAll
        void render() {
            chart = RenderedChart.render(RenderedChart.testResource("values-full.yaml"));
        }

        @Test
        void rendersEveryOptionalObjectButNoSecret() {
            assertThat(chart.objects).extracting(o -> (String) o.get("kind")).contains("Ingress", "ServiceMonitor",
                    "PrometheusRule", "Role", "RoleBinding", "PodDisruptionBudget");
            chart.get("ConfigMap", FULLNAME + "-dashboard");
            chart.get("ConfigMap", FULLNAME + "-spark-pod-templates");
            assertThat(chart.has("Secret")).isFalse();
        }

        @Test
        void severalReplicasOnePerNodeWithADisruptionBudget() {
            Map<String, Object> deployment = chart.deployment();
            Map<String, Object> budget = chart.get("PodDisruptionBudget", FULLNAME);

            assertThat(at(deployment, "spec.replicas")).isEqualTo(3);
            assertThat(at(budget, "apiVersion")).isEqualTo("policy/v1");
            assertThat(at(budget, "spec.maxUnavailable")).isEqualTo(1);
            assertThat(at(budget, "spec.selector.matchLabels")).isEqualTo(at(deployment, "spec.selector.matchLabels"));
            assertThat(list(at(deployment, "spec.template.spec.affinity.podAntiAffinity"
                    + ".requiredDuringSchedulingIgnoredDuringExecution"))).singleElement().satisfies(term -> {
                        assertThat(at(term, "topologyKey")).isEqualTo("kubernetes.io/hostname");
                        assertThat(at(term, "labelSelector.matchLabels"))
                                .isEqualTo(at(deployment, "spec.selector.matchLabels"));
                    });
            assertThat(at(chart.applicationConfig(), "streamcontrol.leader.lease-duration")).isEqualTo("20s");
            assertThat(at(chart.applicationConfig(), "streamcontrol.leader.renew-interval")).isEqualTo("4s");
        }

        @Test
        void cassandraCredentialsComeFromTheExistingSecret() {
            assertThat(at(chart.env("SPRING_CASSANDRA_USERNAME"), "valueFrom.secretKeyRef"))
                    .isEqualTo(Map.of("name", "cassandra-credentials", "key", "username"));
            assertThat(at(chart.env("SPRING_CASSANDRA_PASSWORD"), "valueFrom.secretKeyRef"))
                    .isEqualTo(Map.of("name", "cassandra-credentials", "key", "password"));
            assertThat(chart.env("SPRING_CASSANDRA_PASSWORD")).doesNotContainKey("value");
        }

        @Test
        void cassandraTlsUsesASpringSslBundleOnTheMountedTruststore() {
            Map<String, Object> config = chart.applicationConfig();
            Map<String, Object> mount = chart.volumeMount("cassandra-tls");

            assertThat(at(config, "spring.cassandra.ssl.bundle")).isEqualTo("cassandra");
            assertThat(at(config, "spring.cassandra.ssl.enabled")).isEqualTo(true);
            assertThat(at(config, "spring.ssl.bundle.jks.cassandra.truststore.location"))
                    .isEqualTo("file:" + mount.get("mountPath") + "/truststore.p12");
            assertThat(at(config, "spring.ssl.bundle.jks.cassandra.truststore.type")).isEqualTo("PKCS12");
            assertThat(mount).containsEntry("readOnly", true);
            assertThat(at(chart.volume("cassandra-tls"), "secret.secretName")).isEqualTo("cassandra-truststore");
            assertThat(list(at(chart.volume("cassandra-tls"), "secret.items")))
                    .containsExactly(Map.of("key", "truststore.p12", "path", "truststore.p12"));
            assertThat(at(chart.env("SPRING_SSL_BUNDLE_JKS_CASSANDRA_TRUSTSTORE_PASSWORD"), "valueFrom.secretKeyRef"))
                    .isEqualTo(Map.of("name", "cassandra-truststore", "key", "truststore-password"));
            assertThat(at(config, "streamcontrol.cassandra.control-replication"))
                    .isEqualTo("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 3}");
            assertThat(at(config, "streamcontrol.cassandra.job-replication")).isEqualTo("dc1:3,dc2:2");
        }

        @Test
        void usersAndApiKeysAreImportedFromTheMountedSecretFile() {
            Map<String, Object> mount = chart.volumeMount("security");
            Map<String, Object> volume = chart.volume("security");

            assertThat(mount).containsEntry("readOnly", true);
            assertThat(at(volume, "secret.secretName")).isEqualTo("stream-control-users");
            assertThat(list(at(volume, "secret.items"))).containsExactly(Map.of("key", "security.yaml", "path", "security.yaml"));
            assertThat(at(chart.applicationConfig(), "spring.config.import"))
                    .isEqualTo("file:" + mount.get("mountPath") + "/security.yaml");
        }

        @Test
        void jwtSettingsReachTheResourceServer() {
            Map<String, Object> config = chart.applicationConfig();

            assertThat(at(config, "spring.security.oauth2.resourceserver.jwt.issuer-uri"))
                    .isEqualTo("https://idp.example.com/realms/operations");
            assertThat(at(config, "spring.security.oauth2.resourceserver.jwt.jwk-set-uri")).isNull();
            assertThat(at(config, "streamcontrol.security.jwt.roles-claim")).isEqualTo("roles");
        }

        @Test
        void sparkOnKubernetesSettingsAreServiceAddedSparkConf() {
            Map<String, Object> config = chart.applicationConfig();
            Map<String, Object> conf = map(at(config, "streamcontrol.jobs.spark-conf"));
            Map<String, Object> templates = chart.get("ConfigMap", FULLNAME + "-spark-pod-templates");
            String templatesDir = (String) chart.volumeMount("spark-pod-templates").get("mountPath");

            assertThat(at(config, "streamcontrol.jobs.checkpoint-base")).isEqualTo("s3a://analytics/checkpoints");
            assertThat(conf)
                    .containsEntry("[spark.kubernetes.container.image]",
                            "registry.example.com/stream-control/control-service:1.2.3")
                    .containsEntry("[spark.kubernetes.container.image.pullSecrets]", "regcred")
                    .containsEntry("[spark.kubernetes.namespace]", "spark-jobs")
                    .containsEntry("[spark.kubernetes.authenticate.driver.serviceAccountName]", FULLNAME)
                    .containsEntry("[spark.kubernetes.driver.podTemplateFile]", templatesDir + "/driver-pod-template.yaml")
                    .containsEntry("[spark.kubernetes.executor.podTemplateFile]",
                            templatesDir + "/executor-pod-template.yaml")
                    // jobs.sparkConf merged over the chart's settings
                    .containsEntry("[spark.executor.instances]", "3")
                    .containsEntry("[spark.hadoop.fs.s3a.endpoint]", "http://minio.storage:9000")
                    // Spark on Kubernetes refuses a driver host: it names the driver's service itself
                    .doesNotContainKey("[spark.driver.host]").doesNotContainKey("[spark.driver.bindAddress]");
            assertThat(map(templates.get("data"))).containsOnlyKeys("driver-pod-template.yaml", "executor-pod-template.yaml");
            Map<String, Object> driverTemplate = map(RenderedChart.parse((String) at(templates, "data.driver-pod-template\\.yaml")));
            assertThat(driverTemplate).containsEntry("kind", "Pod");
            assertThat(at(driverTemplate, "spec.securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(config, "streamcontrol.jobs.spark.master")).isEqualTo("k8s://https://kubernetes.default.svc");
            assertThat(at(config, "streamcontrol.jobs.spark.deploy-mode")).isEqualTo("cluster");
            assertThat(at(config, "streamcontrol.jobs.spark.driver-memory")).isEqualTo("2g");
            // no local checkpoint volume with a remote checkpoint base
            assertThat(list(chart.container().get("volumeMounts"))).noneMatch(m -> "checkpoints".equals(map(m).get("name")));
            // spark-submit in the service's pod and the drivers running as its service account need the API token
            assertThat(at(chart.deployment(), "spec.template.spec.automountServiceAccountToken")).isEqualTo(true);
            assertThat(at(chart.get("ServiceAccount", FULLNAME), "automountServiceAccountToken")).isEqualTo(true);
        }

        @Test
        void roleLetsSparkSubmitManageDriverPodsInTheJobsNamespace() {
            Map<String, Object> role = chart.get("Role", FULLNAME + "-spark");
            Map<String, Object> binding = chart.get("RoleBinding", FULLNAME + "-spark");

            assertThat(at(role, "metadata.namespace")).isEqualTo("spark-jobs");
            assertThat(list(role.get("rules"))).singleElement().satisfies(rule -> {
                assertThat(list(map(rule).get("apiGroups"))).containsExactly("");
                assertThat(list(map(rule).get("resources")))
                        .containsExactlyInAnyOrder("pods", "services", "configmaps", "persistentvolumeclaims");
                assertThat(list(map(rule).get("verbs"))).containsExactlyInAnyOrder("create", "get", "list", "watch",
                        "delete", "deletecollection", "patch");
            });
            assertThat(at(binding, "metadata.namespace")).isEqualTo("spark-jobs");
            assertThat(map(binding.get("roleRef"))).containsEntry("kind", "Role").containsEntry("name", FULLNAME + "-spark");
            assertThat(list(binding.get("subjects"))).containsExactly(
                    Map.of("kind", "ServiceAccount", "name", FULLNAME, "namespace", NAMESPACE));
            assertThat(at(chart.deployment(), "spec.template.spec.serviceAccountName")).isEqualTo(FULLNAME);
        }

        @Test
        void ingressRoutesToTheServicePort() {
            Map<String, Object> ingress = chart.get("Ingress", FULLNAME);

            assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
            Map<String, Object> rule = map(list(at(ingress, "spec.rules")).get(0));
            assertThat(rule).containsEntry("host", "stream-control.example.com");
            Map<String, Object> path = map(list(at(rule, "http.paths")).get(0));
            assertThat(path).containsEntry("path", "/").containsEntry("pathType", "Prefix");
            assertThat(at(path, "backend.service.name")).isEqualTo(FULLNAME);
            assertThat(at(path, "backend.service.port.name")).isEqualTo("http");
            assertThat(list(at(ingress, "spec.tls"))).hasSize(1);
        }

        @Test
        void ingressKeepsEachBrowserOnOneReplicaForTheConsolesSession() {
            assertThat(map(at(chart.get("Ingress", FULLNAME), "metadata.annotations")))
                    .containsEntry("nginx.ingress.kubernetes.io/affinity", "cookie")
                    .containsEntry("nginx.ingress.kubernetes.io/affinity-mode", "persistent")
                    .containsEntry("nginx.ingress.kubernetes.io/session-cookie-name", FULLNAME + "-replica");
        }

        @Test
        void serviceMonitorScrapesActuatorPrometheusHonoringTheJobLabel() {
            Map<String, Object> monitor = chart.get("ServiceMonitor", FULLNAME);
            Map<String, Object> endpoint = map(list(at(monitor, "spec.endpoints")).get(0));

            assertThat(monitor).containsEntry("apiVersion", "monitoring.coreos.com/v1");
            assertThat(endpoint).containsEntry("port", "http").containsEntry("path", "/actuator/prometheus")
                    .containsEntry("honorLabels", true);
            assertThat(at(endpoint, "basicAuth.password")).isEqualTo(Map.of("name", "stream-control-scraper", "key", "password"));
            assertThat(at(monitor, "metadata.labels.release")).isEqualTo("prometheus");
            assertThat(map(at(chart.get("Service", FULLNAME), "metadata.labels")))
                    .containsAllEntriesOf(map(at(monitor, "spec.selector.matchLabels")));
        }

        @Test
        void prometheusRuleHoldsExactlyTheRulesOfAlertsYaml() throws Exception {
            Map<String, Object> rule = chart.get("PrometheusRule", FULLNAME);
            Object plain = RenderedChart.parse(Files.readString(RenderedChart.CHART_DIR.resolve("files/alerts.yaml")));

            assertThat(rule.get("spec")).isEqualTo(plain);
            assertThat(list(at(rule, "spec.groups"))).isNotEmpty();
            assertThat(at(rule, "metadata.labels.release")).isEqualTo("prometheus");
        }

        @Test
        void dashboardConfigMapHoldsTheDashboardAsValidJson() throws Exception {
            Map<String, Object> configMap = chart.get("ConfigMap", FULLNAME + "-dashboard");
            String json = (String) at(configMap, "data.stream-control\\.json");
            ObjectMapper strict = new ObjectMapper();

            assertThat(at(configMap, "metadata.labels.grafana_dashboard")).isEqualTo("1");
            assertThat(at(configMap, "metadata.annotations.grafana_folder")).isEqualTo("Streaming");
            assertThat(strict.readTree(json))
                    .isEqualTo(strict.readTree(RenderedChart.CHART_DIR.resolve("files/dashboard.json").toFile()));
            Map<String, Object> dashboard = map(RenderedChart.parse(json));
            List<Object> variables = list(at(dashboard, "templating.list"));
            assertThat(variables).extracting(v -> map(v).get("name")).contains("job");
            List<Object> panels = list(dashboard.get("panels"));
            assertThat(panels.stream().map(p -> (String) map(p).get("title")).collect(Collectors.toList()))
                    .contains("Input rate", "Processing time against batch interval", "Scheduling and total delay",
                            "Records received / processed", "Batches completed / failed", "Jobs by state",
                            "API latency (mean)", "Reconciler leader");
        }
    }

    @Test
    void anAffinityOfYourOwnReplacesTheAntiAffinityPreset(@org.junit.jupiter.api.io.TempDir Path dir) {
        Map<String, Object> zones = Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution",
                Map.of("nodeSelectorTerms", List.of(Map.of("matchExpressions", List.of(Map.of(
                        "key", "topology.kubernetes.io/zone", "operator", "In", "values", List.of("a"))))))));
        RenderedChart own = RenderedChart.renderYaml(dir, """
                replicaCount: 2
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                        - matchExpressions:
                            - {key: topology.kubernetes.io/zone, operator: In, values: [a]}
                """);
        RenderedChart none = RenderedChart.renderYaml(dir, """
                replicaCount: 2
                podAntiAffinity: ""
                podDisruptionBudget: {enabled: false}
                """);

        assertThat(at(own.deployment(), "spec.template.spec.affinity")).isEqualTo(zones);
        assertThat(own.has("PodDisruptionBudget")).isTrue();
        assertThat(at(none.deployment(), "spec.template.spec.affinity")).isNull();
        assertThat(none.has("PodDisruptionBudget")).isFalse();
    }

    @Test
    void theIngresssOwnAnnotationsWinAndStickySessionsCanBeTurnedOff(@org.junit.jupiter.api.io.TempDir Path dir) {
        String ingress = """
                ingress:
                  enabled: true
                  annotations:
                    nginx.ingress.kubernetes.io/session-cookie-name: route
                    cert-manager.io/cluster-issuer: letsencrypt
                """;
        RenderedChart sticky = RenderedChart.renderYaml(dir, ingress);
        assertThat(map(at(sticky.get("Ingress", FULLNAME), "metadata.annotations")))
                .containsEntry("nginx.ingress.kubernetes.io/session-cookie-name", "route")
                .containsEntry("nginx.ingress.kubernetes.io/affinity", "cookie")
                .containsEntry("cert-manager.io/cluster-issuer", "letsencrypt");

        RenderedChart free = RenderedChart.renderYaml(dir, ingress + "console: {stickySessions: false}\n");
        assertThat(map(at(free.get("Ingress", FULLNAME), "metadata.annotations")))
                .containsOnlyKeys("nginx.ingress.kubernetes.io/session-cookie-name", "cert-manager.io/cluster-issuer");
        assertThat(map(at(free.get("Service", FULLNAME), "spec"))).doesNotContainKeys("sessionAffinity",
                "sessionAffinityConfig");
    }

    @Test
    void checkpointsOnAPersistentVolumeClaimWhenGiven(@org.junit.jupiter.api.io.TempDir Path dir) {
        RenderedChart chart = RenderedChart.renderYaml(dir, """
                jobs:
                  localCheckpointClaim: checkpoints
                """);

        assertThat(chart.volume("checkpoints")).isEqualTo(Map.of("name", "checkpoints",
                "persistentVolumeClaim", Map.of("claimName", "checkpoints")));
    }

    @Test
    void clientModeDriversOnKubernetesRunInThePodAndOwnTheirExecutors(@org.junit.jupiter.api.io.TempDir Path dir) {
        RenderedChart chart = RenderedChart.renderYaml(dir, """
                jobs:
                  checkpointBase: s3a://bucket/checkpoints
                  spark:
                    master: k8s://https://kubernetes.default.svc
                    deployMode: client
                """);

        assertThat(map(at(chart.applicationConfig(), "streamcontrol.jobs.spark-conf")))
                .containsEntry("[spark.driver.host]", "${POD_IP}")
                .containsEntry("[spark.kubernetes.driver.pod.name]", "${POD_NAME}")
                .containsEntry("[spark.kubernetes.namespace]", NAMESPACE);
        assertThat(at(chart.env("POD_NAME"), "valueFrom.fieldRef.fieldPath")).isEqualTo("metadata.name");
        assertThat(chart.has("Role")).isTrue();
    }

    @Test
    void clientModeDriversOnAStandaloneClusterAdvertiseThePodIp(@org.junit.jupiter.api.io.TempDir Path dir) {
        RenderedChart chart = RenderedChart.renderYaml(dir, """
                jobs:
                  checkpointBase: hdfs://namenode:8020/checkpoints
                  spark:
                    master: spark://spark-master:7077
                    deployMode: client
                """);
        Map<String, Object> config = chart.applicationConfig();

        assertThat(map(at(config, "streamcontrol.jobs.spark-conf")))
                .containsEntry("[spark.driver.host]", "${POD_IP}")
                .containsEntry("[spark.driver.bindAddress]", "0.0.0.0");
        assertThat(map(at(config, "streamcontrol.spark.environment"))).containsEntry("[SPARK_LOCAL_IP]", "${POD_IP}");
        assertThat(at(chart.env("POD_IP"), "valueFrom.fieldRef.fieldPath")).isEqualTo("status.podIP");
        assertThat(chart.has("Role")).isFalse();
    }
}
