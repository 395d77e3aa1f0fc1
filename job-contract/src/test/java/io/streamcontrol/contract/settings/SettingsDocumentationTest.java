package io.streamcontrol.contract.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.settings.Setting.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of job settings is the one the declarations make. */
class SettingsDocumentationTest {

    static final String BEGIN = "<!-- job settings: generated from JobSettings.ALL by SettingsDocumentationTest -->\n";
    static final String END = "<!-- end of job settings -->";

    @Test
    void theReadmeListsEverySettingAsItIsDeclared() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("README.md has the markers " + BEGIN.strip() + " and " + END).isNotNegative();
        assertThat(end).isGreaterThan(begin);
        assertThat(readme.substring(begin + BEGIN.length(), end))
                .as("README.md's table of job settings; put this between its markers").isEqualTo(table());
    }

    @Test
    void everySettingIsDocumented() {
        assertThat(JobSettings.ALL).allSatisfy(s -> assertThat(s.description()).as(s.name()).isNotBlank());
        assertThat(JobSettings.help()).contains("--batch-interval", "Spark Streaming batch interval", "(default: 5s)",
                "--checkpoint", "(default: required)", "--replication ", "(default: empty)");
    }

    /** One row per setting, in help order. */
    static String table() {
        StringBuilder out = new StringBuilder("| setting | default | what it is | a change takes |\n"
                + "| --- | --- | --- | --- |\n");
        for (Setting<?> s : JobSettings.ALL) {
            String value = s.required() ? "(required)" : s.defaultText().isEmpty() ? "(empty)" : s.defaultText();
            out.append("| `--").append(s.name()).append("` | ").append(value).append(" | ")
                    .append(s.description().replace("|", "\\|")).append(" | ").append(change(s)).append(" |\n");
        }
        return out.toString();
    }

    private static String change(Setting<?> s) {
        if (s.isSetByService()) {
            return "set by the service at each launch";
        }
        if (s.fixedBecause() != null) {
            return "none: fixed for an existing job";
        }
        String takes = s.change() == Change.CONTEXT ? "a new streaming context" : "a new driver";
        return s.isComputation() ? takes + "; the rollup state is rebuilt" : takes;
    }
}
