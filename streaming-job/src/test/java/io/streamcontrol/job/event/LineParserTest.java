package io.streamcontrol.job.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.events.SalesEvent;
import io.streamcontrol.contract.settings.LineFormat;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineParserTest {

    static final SalesEvent EVENT = new SalesEvent(42, Instant.parse("2026-03-01T10:15:30.250Z"), 3,
            new BigDecimal("12.50"), new BigDecimal("19.99"), new BigDecimal("52.47"), "Customer 7", "CA", "R2",
            "P0007", new BigDecimal("0.2100"));

    final LineParser csv = new LineParser(LineFormat.CSV, 10_000);
    final LineParser json = new LineParser(LineFormat.JSON, 10_000);

    @Test
    void csvRoundTrip() {
        assertThat(csv.parse(EVENT.toCsv()).event()).isEqualTo(EVENT);
    }

    @Test
    void jsonRoundTrip() {
        assertThat(json.parse(EVENT.toJson()).event()).isEqualTo(EVENT);
    }

    @Test
    void jsonFieldOrderAndUnknownFieldsDoNotMatter() {
        String line = "{\"extra\":true,\"profit_margin\":0.2100,\"product_key\":\"P0007\",\"region\":\"R2\",\"state\":\"CA\","
                + "\"customer_name\":\"Customer 7\",\"sale_amount\":52.47,\"rate\":19.99,\"discount_pct\":12.50,"
                + "\"quantity\":3,\"order_time\":\"2026-03-01T10:15:30.250Z\",\"order_id\":42}";
        assertThat(json.parse(line).event()).isEqualTo(EVENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "42,2026-03-01T10:15:30Z,3,12.50,19.99,52.47,Customer 7,CA,R2,P0007|expected 11 CSV fields, found 10",
        "42,2026-03-01T10:15:30Z,abc,12.50,19.99,52.47,Customer 7,CA,R2,P0007,0.21|bad number in quantity",
        "42,2026-03-01T10:15:30Z,-3,12.50,19.99,52.47,Customer 7,CA,R2,P0007,0.21|negative quantity",
        "42,yesterday,3,12.50,19.99,52.47,Customer 7,CA,R2,P0007,0.21|bad order_time: not an ISO-8601 instant",
        "42,2026-03-01T10:15:30Z,3,12.50,19.99,-1,Customer 7,CA,R2,P0007,0.21|negative sale_amount",
        "42,2026-03-01T10:15:30Z,3,120,19.99,1,Customer 7,CA,R2,P0007,0.21|discount_pct out of range 0..100",
        "42,2026-03-01T10:15:30Z,3,12.50,19.99,52.47,Customer 7,,R2,P0007,0.21|missing field state",
        "x,2026-03-01T10:15:30Z,3,12.50,19.99,52.47,Customer 7,CA,R2,P0007,0.21|bad number in order_id",
    })
    void badCsvLinesAreRejectedWithTheirReason(String line, String reason) {
        LineParser.Result result = csv.parse(line);
        assertThat(result.event()).isNull();
        assertThat(result.rejectReason()).isEqualTo(reason);
    }

    @Test
    void badJsonLinesAreRejectedWithTheirReason() {
        assertThat(json.parse("{\"order_id\":1").rejectReason()).startsWith("malformed JSON");
        assertThat(json.parse("[1,2]").rejectReason()).isEqualTo("not a JSON object");
        assertThat(json.parse(EVENT.toJson().replace("\"quantity\":3,", "")).rejectReason())
                .isEqualTo("missing field quantity");
        assertThat(json.parse(EVENT.toJson().replace("\"quantity\":3", "\"quantity\":\"many\"")).rejectReason())
                .isEqualTo("bad number in quantity");
        assertThat(json.parse(EVENT.toJson() + " trailing").rejectReason()).startsWith("malformed JSON");
    }

    @Test
    void overlongAndEmptyLinesAreRejected() {
        assertThat(csv.parse("x".repeat(10_001)).rejectReason()).isEqualTo("line longer than 10000 characters");
        assertThat(csv.parse("   ").rejectReason()).isEqualTo("empty line");
    }

    @Test
    void rejectedLinesKeepATruncatedCopy() {
        ParsedLine line = ParsedLine.rejected(0, 1, 2, "bad", "y".repeat(5_000));
        assertThat(line.line()).hasSize(ParsedLine.MAX_KEPT_LINE);
    }
}
