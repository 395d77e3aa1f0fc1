package io.streamcontrol.job.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CassandraOutageTest {

    static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    @Test
    void anOutageCountsFromItsFirstFailureUntilAWriteSucceeds() {
        CassandraOutage outage = new CassandraOutage(Duration.ofMinutes(2));
        assertThat(outage.beyondLimit(T)).isEmpty();
        outage.failed(T);
        outage.failed(T.plusSeconds(60));
        assertThat(outage.beyondLimit(T.plusSeconds(120))).as("at the limit").isEmpty();
        assertThat(outage.beyondLimit(T.plusSeconds(121))).contains(T);

        outage.reached();
        assertThat(outage.beyondLimit(T.plusSeconds(500))).isEmpty();
        outage.failed(T.plusSeconds(600));
        assertThat(outage.beyondLimit(T.plusSeconds(700))).isEmpty();
        assertThat(outage.beyondLimit(T.plusSeconds(721))).contains(T.plusSeconds(600));
    }
}
