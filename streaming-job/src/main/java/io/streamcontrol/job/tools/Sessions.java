package io.streamcontrol.job.tools;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;

/** The CQL session of the command-line tools: one contact point, the single-node default datacenter. */
final class Sessions {

    private Sessions() {
    }

    static CqlSession connect(String host, String port) {
        return CqlSession.builder()
                .addContactPoint(new InetSocketAddress(host, Integer.parseInt(port)))
                .withLocalDatacenter("datacenter1")
                .build();
    }
}
