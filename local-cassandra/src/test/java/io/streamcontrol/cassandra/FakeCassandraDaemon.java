package io.streamcontrol.cassandra;

import java.util.concurrent.CountDownLatch;

/** A process whose command line mentions CassandraDaemon, as a left-over server's does. */
public final class FakeCassandraDaemon {

    private FakeCassandraDaemon() {
    }

    public static void main(String[] args) throws InterruptedException {
        new CountDownLatch(1).await();
    }
}
