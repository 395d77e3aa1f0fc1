package io.streamcontrol.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** NOTES.txt, rendered by a client-only dry-run install (no cluster). */
class NotesTest {

    private static String notes(Path... valuesFiles) {
        InstallCommand install = new Helm(RenderedChart.CHART_DIR).install().withName(RenderedChart.RELEASE)
                .withNamespace(RenderedChart.NAMESPACE).clientOnly().dryRun();
        for (Path values : valuesFiles) {
            install = install.withValuesFile(values);
        }
        Release release = install.call();
        String output = release.getOutput();
        int start = output.indexOf("NOTES:");
        assertThat(start).as("NOTES in:\n%s", output).isNotNegative();
        return output.substring(start);
    }

    @Test
    void tellHowToReachTheApiAndThatNoCredentialsAreConfigured() {
        String notes = notes();

        assertThat(notes)
                .contains("kubectl --namespace analytics port-forward service/demo-stream-control 8080:8080")
                .contains("http://127.0.0.1:8080/console/")
                .contains("http://127.0.0.1:8080/swagger-ui/index.html")
                .contains("http://127.0.0.1:8080/openapi.yaml")
                .contains("No auth.existingSecret is set")
                .contains("WARNING: without users, API keys or a JWT issuer the service refuses to start")
                .contains("WARNING: checkpoints are on an emptyDir")
                .doesNotContain("replicas serve the API")
                .doesNotContain("<no value>");
    }

    @Test
    void tellWhichReplicaReconcilesAndWarnOfDriversInsideThePods(@org.junit.jupiter.api.io.TempDir Path dir) {
        String notes = notes(RenderedChart.write(dir, "replicaCount: 2\n"));

        assertThat(notes).contains("2 replicas serve the API; the one holding the reconciler lease runs the")
                .contains("takes over within 15s when it dies")
                .contains("WARNING: by default drivers run inside the service's pods (local[4], client deploy mode)")
                .doesNotContain("<no value>");
    }

    @Test
    void tellWhereCredentialsComeFromAndTheIngressUrl() {
        String notes = notes(RenderedChart.testResource("values-full.yaml"));

        assertThat(notes)
                .contains("https://stream-control.example.com/")
                .contains("Secret stream-control-users, key security.yaml")
                .contains("X-API-Key")
                .contains("Authorization: Bearer")
                .contains("Secret cassandra-credentials")
                .contains("driver and executor pods in namespace spark-jobs")
                .contains("3 replicas serve the API")
                .doesNotContain("WARNING")
                .doesNotContain("<no value>");
    }
}
