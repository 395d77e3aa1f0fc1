package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.localserver.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @TempDir
    Path dir;

    @Test
    void defaults() {
        LocalCassandra.Settings s = LocalCassandra.Settings.builder(Path.of("relative/node")).build();

        assertThat(s.baseDir()).isEqualTo(Path.of("relative/node").toAbsolutePath());
        assertThat(s.nativePort()).isZero();
        assertThat(s.storagePort()).isZero();
        assertThat(s.jmxPort()).isZero();
        assertThat(s.heap()).isEqualTo("256m");
        assertThat(s.clusterName()).isEqualTo("stream-control");
        assertThat(s.passwordAuthentication()).isFalse();
        assertThat(s.concurrentWrites()).isEqualTo(8);
        assertThat(s.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        // the build records where it copied the Cassandra jars
        assertThat(s.libDir()).endsWith(Path.of("target", "cassandra-lib"));
        assertThat(s.libDir().resolve("jamm-0.4.0.jar")).exists();
        assertThat(Jdk.featureVersion(s.javaHome())).contains(17);
    }

    @Test
    void libDirComesFromSystemPropertyThenEnvironmentThenBuild() {
        Properties build = new Properties();
        build.setProperty("cassandra.lib.dir", "/from/build");

        assertThat(LocalCassandra.Settings.defaultLibDir("/from/property", "/from/env", build))
                .isEqualTo(Path.of("/from/property"));
        assertThat(LocalCassandra.Settings.defaultLibDir(null, "/from/env", build)).isEqualTo(Path.of("/from/env"));
        assertThat(LocalCassandra.Settings.defaultLibDir(" ", null, build)).isEqualTo(Path.of("/from/build"));
        assertThatThrownBy(() -> LocalCassandra.Settings.defaultLibDir(null, null, new Properties()))
                .hasMessageContaining("CASSANDRA_LIB_DIR");
    }

    @Test
    void javaHomeIsJavaHomeEnvOnlyIfItIsAJdk17() throws Exception {
        Path jdk17 = Files.createDirectories(dir.resolve("jdk17"));
        Files.writeString(jdk17.resolve("release"), "JAVA_VERSION=\"17.0.16\"\n");
        Path jdk25 = Files.createDirectories(dir.resolve("jdk25"));
        Files.writeString(jdk25.resolve("release"), "JAVA_VERSION=\"25\"\n");

        assertThat(Jdk.defaultHome(jdk17.toString(), "/this/jvm")).isEqualTo(jdk17);
        assertThat(Jdk.defaultHome(jdk25.toString(), "/this/jvm"))
                .isEqualTo(Path.of("/this/jvm"));
        assertThat(Jdk.defaultHome(null, "/this/jvm")).isEqualTo(Path.of("/this/jvm"));
    }

    @Test
    void freePortsReplaceOnlyZeroPorts() {
        LocalCassandra.Settings s = LocalCassandra.Settings.builder(dir).nativePort(19042).build().withFreePorts();

        assertThat(s.nativePort()).isEqualTo(19042);
        assertThat(s.storagePort()).isPositive().isNotEqualTo(s.jmxPort()).isNotEqualTo(19042);
        assertThat(s.jmxPort()).isPositive().isNotEqualTo(19042);
        assertThat(s.toBuilder().build()).isEqualTo(s);
    }

    @Test
    void rejectsNonsense() {
        LocalCassandra.Settings.Builder builder = LocalCassandra.Settings.builder(dir);

        assertThatThrownBy(() -> builder.heap("lots").build()).hasMessageContaining("heap");
        assertThatThrownBy(() -> LocalCassandra.Settings.builder(dir).nativePort(70000).build())
                .hasMessageContaining("nativePort");
        assertThatThrownBy(() -> LocalCassandra.Settings.builder(dir).concurrentWrites(0).build())
                .hasMessageContaining("concurrentWrites");
        assertThatThrownBy(() -> LocalCassandra.Settings.builder(dir).startupTimeout(Duration.ZERO).build())
                .hasMessageContaining("startupTimeout");
    }
}
