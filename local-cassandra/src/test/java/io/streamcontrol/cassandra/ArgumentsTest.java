package io.streamcontrol.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void defaultsForScripts() {
        LocalCassandra.Settings s = LocalCassandra.parseArguments("--base-dir", "/tmp/node");

        assertThat(s.baseDir()).isEqualTo(Path.of("/tmp/node"));
        assertThat(s.nativePort()).isEqualTo(9042);
        assertThat(s.storagePort()).isZero();
        assertThat(s.heap()).isEqualTo("256m");
        assertThat(s.passwordAuthentication()).isFalse();
    }

    @Test
    void allOptions() {
        LocalCassandra.Settings s = LocalCassandra.parseArguments("--native-port", "0", "--storage-port", "17000",
                "--heap", "1g", "--password-authentication", "--base-dir", "/tmp/node");

        assertThat(s.baseDir()).isEqualTo(Path.of("/tmp/node"));
        assertThat(s.nativePort()).isZero();
        assertThat(s.storagePort()).isEqualTo(17000);
        assertThat(s.heap()).isEqualTo("1g");
        assertThat(s.passwordAuthentication()).isTrue();
    }

    @Test
    void badArguments() {
        assertThatThrownBy(() -> LocalCassandra.parseArguments()).hasMessage("--base-dir is required");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir"))
                .hasMessage("--base-dir needs a value");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir", "--heap", "1g"))
                .hasMessage("--base-dir needs a value");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir", "/tmp/x", "--port", "1"))
                .hasMessage("Unknown argument: --port");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir", "/tmp/x", "--native-port", "x"))
                .hasMessageContaining("--native-port must be a port number");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir", "/tmp/x", "--storage-port", "65536"))
                .hasMessageContaining("--storage-port must be a port number");
        assertThatThrownBy(() -> LocalCassandra.parseArguments("--base-dir", "/tmp/x", "--heap", "big"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heap");
    }
}
