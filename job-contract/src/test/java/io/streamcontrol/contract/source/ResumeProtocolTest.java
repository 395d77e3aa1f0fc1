package io.streamcontrol.contract.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResumeProtocolTest {

    @Test
    void helloRoundTrip() {
        ResumeProtocol.Hello hello = new ResumeProtocol.Hello(1, 3, 7);
        assertThat(ResumeProtocol.parseHello(hello.toLine())).contains(hello);
        assertThat(ResumeProtocol.parseHello("1,2026-01-01T00:00:00Z,3")).isEmpty();
        assertThat(ResumeProtocol.parseHello("RESUME 3 3 0")).isEmpty();
    }

    @Test
    void firstWantedIsTheNextSequenceOfThePartition() {
        assertThat(new ResumeProtocol.Hello(1, 3, 7).firstWanted()).isEqualTo(10);
        assertThat(new ResumeProtocol.Hello(1, 3, -1).firstWanted()).isEqualTo(1);
        assertThat(new ResumeProtocol.Hello(0, 1, -1).firstWanted()).isEqualTo(0);
        assertThat(new ResumeProtocol.Hello(2, 3, 8).firstWanted()).isEqualTo(11);
    }

    @Test
    void framesCarryTheSequence() {
        assertThat(ResumeProtocol.unframe(ResumeProtocol.frame(42, "a b,c"))).contains(new ResumeProtocol.Framed(42, "a b,c"));
        assertThat(ResumeProtocol.unframe("42,2026-01-01T00:00:00Z,3,0,1,1,Customer 1,CA")).isEmpty();
        assertThat(ResumeProtocol.unframe("{\"order_id\": 1}")).isEmpty();
    }

    @Test
    void aFramedLineOfBytesHasTheSequenceItsTextHas() {
        for (String line : new String[] {ResumeProtocol.frame(42, "a b,c"), "7 ", "-3 x", "+5 x", " 5 x", "5x y",
                "99999999999999999999 x", "42,2026-01-01T00:00:00Z,3", "{\"order_id\": 1}", "", "12", "ë 1"}) {
            byte[] bytes = ("..." + line + "...").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int length = bytes.length - 6;
            java.util.OptionalLong expected = ResumeProtocol.unframe(line).stream()
                    .mapToLong(ResumeProtocol.Framed::seq).findFirst();
            assertThat(ResumeProtocol.sequence(bytes, 3, length)).as(line).isEqualTo(expected);
        }
    }
}
