package io.streamcontrol.control.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StandaloneClusterTest {

    @Test
    void onlyClusterDeployModeOnAStandaloneMasterIsWatchedThroughTheMaster() {
        assertThat(StandaloneCluster.applies("spark://127.0.0.1:6066", "cluster")).isTrue();
        assertThat(StandaloneCluster.applies("spark://127.0.0.1:7077", "client")).isFalse();
        assertThat(StandaloneCluster.applies("local[4]", "client")).isFalse();
        assertThat(StandaloneCluster.applies("k8s://https://kubernetes.default.svc", "cluster")).isFalse();
        assertThat(StandaloneCluster.applies("yarn", "cluster")).isFalse();
    }

    @Test
    void aSubmissionUsesTheRestProtocolGivesTheDriverTheJava17FlagsAndNoAddressOfTheServicesHost() {
        Map<String, String> conf = StandaloneCluster.submissionConf(Map.of("spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1", "spark.streaming.backpressure.enabled", "true"));
        assertThat(conf).containsEntry("spark.master.rest.enabled", "true")
                .containsEntry("spark.streaming.backpressure.enabled", "true")
                .containsEntry("spark.ui.port", "0")
                .doesNotContainKeys("spark.driver.host", "spark.driver.bindAddress");
        assertThat(conf.get("spark.driver.extraJavaOptions")).startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED");
    }

    @Test
    void driverOptionsAndUiPortOfTheServicesOwnSettingsAreKept() {
        Map<String, String> conf = StandaloneCluster.submissionConf(Map.of("spark.driver.extraJavaOptions",
                " -Dfoo=bar ", "spark.ui.port", "4050"));
        assertThat(conf.get("spark.driver.extraJavaOptions")).startsWith("-XX:+IgnoreUnrecognizedVMOptions")
                .endsWith(" -Dfoo=bar");
        assertThat(conf).containsEntry("spark.ui.port", "4050");
    }

    @Test
    void theRestEndpointsOfOneOrSeveralMasters() {
        assertThat(StandaloneCluster.restEndpoints("spark://127.0.0.1:6066"))
                .containsExactly(URI.create("http://127.0.0.1:6066/v1/submissions/"));
        assertThat(StandaloneCluster.restEndpoints("spark://m1:6066,m2.example.com:6067"))
                .containsExactly(URI.create("http://m1:6066/v1/submissions/"),
                        URI.create("http://m2.example.com:6067/v1/submissions/"));
        assertThatThrownBy(() -> StandaloneCluster.restEndpoints("local[2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StandaloneCluster.restEndpoints("spark://")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDriverIdIsReadFromWhatTheRestClientPrints() {
        List<String> rest = List.of(
                "Running Spark using the REST application submission protocol.",
                "26/11/21 12:02:34 INFO RestSubmissionClient: Submitting a request to launch an application in"
                        + " spark://127.0.0.1:52653.",
                "26/11/21 12:02:35 INFO RestSubmissionClient: Submission successfully created as"
                        + " driver-20261121120235-0001. Polling submission state...",
                "  \"submissionId\" : \"driver-20261121120235-0001\",");
        assertThat(StandaloneCluster.driverId(rest)).contains("driver-20261121120235-0001");
        assertThat(StandaloneCluster.driverId(List.of("26/11/21 12:02:35 INFO ClientEndpoint: Driver successfully"
                + " submitted as driver-20261121120235-10001"))).contains("driver-20261121120235-10001");
    }

    @Test
    void noDriverIdInAFailedSubmission() {
        assertThat(StandaloneCluster.driverId(List.of("Running Spark using the REST application submission protocol.",
                "Exception in thread \"main\" org.apache.spark.deploy.rest.SubmitRestConnectionException: Unable to"
                        + " connect to server"))).isEmpty();
        assertThat(StandaloneCluster.driverId(List.of("not an id: driver-2026112112023-0001, driver-20261121120235-01")))
                .isEmpty();
    }

    @Test
    void theMastersDriverStatesAsTheServiceSeesThem() {
        assertThat(StandaloneCluster.driverState("SUBMITTED")).isEqualTo(DriverState.SUBMITTED);
        assertThat(StandaloneCluster.driverState("RELAUNCHING")).isEqualTo(DriverState.SUBMITTED);
        assertThat(StandaloneCluster.driverState("UNKNOWN")).isEqualTo(DriverState.SUBMITTED);
        assertThat(StandaloneCluster.driverState("RUNNING")).isEqualTo(DriverState.CONNECTED);
        assertThat(StandaloneCluster.driverState("FINISHED")).isEqualTo(DriverState.FINISHED);
        assertThat(StandaloneCluster.driverState("FAILED")).isEqualTo(DriverState.FAILED);
        assertThat(StandaloneCluster.driverState("ERROR")).isEqualTo(DriverState.FAILED);
        assertThat(StandaloneCluster.driverState("KILLED")).isEqualTo(DriverState.KILLED);
        assertThat(StandaloneCluster.driverState(null)).isEqualTo(DriverState.LOST);
        assertThat(StandaloneCluster.driverState("SOMETHING_NEW")).isEqualTo(DriverState.LOST);
    }

    @Test
    void spark_submitGetsALogConfigurationThatPrintsTheDriverId() {
        assertThat(StandaloneCluster.submitLogConfiguration())
                .contains("logger.rest.name = org.apache.spark.deploy.rest.RestSubmissionClient", "logger.rest.level = info",
                        "rootLogger.level = warn");
    }
}
