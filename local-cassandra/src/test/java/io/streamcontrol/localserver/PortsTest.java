package io.streamcontrol.localserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void freePortsAreDistinctAndBindableOnLoopback() throws Exception {
        int[] ports = Ports.freePorts(3);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(3);
        for (int port : ports) {
            assertThat(port).isBetween(1, 65535);
            assertThat(Ports.isFree(port)).isTrue();
        }
    }

    @Test
    void aListeningPortIsOpenAndNotFree() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
            assertThat(Ports.isOpen("127.0.0.1", port)).isTrue();
            assertThat(Ports.isFree(port)).isFalse();
        }
        assertThat(Ports.isOpen("127.0.0.1", port)).isFalse();
    }
}
