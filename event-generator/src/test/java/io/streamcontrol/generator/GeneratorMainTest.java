package io.streamcontrol.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamcontrol.contract.settings.LineFormat;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GeneratorMainTest {

    @Test
    void parsesEveryOption() {
        GeneratorSettings settings = GeneratorMain.parseArgs("--port", "0", "--seed", "5", "--rate", "250",
                "--count", "1000", "--duration", "2h", "--format", "json", "--products", "20", "--regions", "3",
                "--states", "10", "--customers", "99", "--skew", "0", "--malformed-share", "0.1",
                "--late-share", "0.2", "--late-by", "500ms", "--very-late-share", "0.3", "--very-late-by", "10m",
                "--start-time", "2026-01-01T00:00:00Z", "--event-spacing", "20s");

        assertThat(settings).isEqualTo(new GeneratorSettings(0, 5, 250, 1000, Duration.ofHours(2), LineFormat.JSON,
                20, 3, 10, 99, 0, 0.1, 0.2, Duration.ofMillis(500), 0.3, Duration.ofMinutes(10),
                Instant.parse("2026-01-01T00:00:00Z"), Duration.ofSeconds(20)));
    }

    @Test
    void defaultsAreTheSettingsDefaults() {
        GeneratorSettings parsed = GeneratorMain.parseArgs();
        GeneratorSettings defaults = GeneratorSettings.defaults();

        assertThat(parsed.startTime().getNano()).isZero();
        assertThat(parsed).usingRecursiveComparison().ignoringFields("startTime").isEqualTo(defaults);
        assertThat(parsed.eventSpacing()).isEqualTo(Duration.ofMillis(1)); // 1 s / 1000
    }

    @Test
    void badArgumentsNameTheOption() {
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--rate", "fast")).hasMessageContaining("--rate");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--late-by", "20")).hasMessageContaining("--late-by");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--format", "xml")).hasMessageContaining("--format");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--states", "51")).hasMessageContaining("--states");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--very-late-share", "7"))
                .hasMessageContaining("--very-late-share");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--seed")).hasMessageContaining("--seed");
        assertThatThrownBy(() -> GeneratorMain.parseArgs("--colour", "red")).hasMessageContaining("--colour");
    }

    @Test
    void parsesDurations() {
        assertThat(GeneratorMain.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(GeneratorMain.parseDuration("20s")).isEqualTo(Duration.ofSeconds(20));
        assertThat(GeneratorMain.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(GeneratorMain.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(GeneratorMain.parseDuration("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> GeneratorMain.parseDuration("1d")).isInstanceOf(IllegalArgumentException.class);
    }
}
