package io.streamcontrol.control.jobs.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.settings.JobSettings;
import io.streamcontrol.contract.settings.Setting;
import io.streamcontrol.control.it.NegativeInputSweep;
import io.swagger.v3.oas.models.media.Schema;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The contract's JobSettings schema describes the job's settings as they are declared (JobSettings.ALL). */
class JobSettingsSchemaTest {

    /** Settings whose default, when a definition leaves them out, the service decides (its configuration). */
    static final List<String> DEFAULTS_OF_THE_SERVICE = List.of("checkpoint", "replication", "output-consistency",
            "read-consistency");

    static final Schema<?> SCHEMA = NegativeInputSweep.parse(Path.of("..", "openapi", "openapi.yaml"))
            .getComponents().getSchemas().get("JobSettings");

    @Test
    void everySettingACallerMayGiveIsAPropertyAndNothingElseIs() {
        assertThat(SCHEMA.getProperties().keySet()).containsExactlyInAnyOrderElementsOf(JobSettings.ALL.stream()
                .filter(s -> !s.isSetByService()).map(Setting::fieldName).toList());
    }

    @Test
    void theDefaultsTheSchemaListsAreTheDeclaredOnes() {
        Map<String, String> listed = new LinkedHashMap<>();
        Matcher line = Pattern.compile("^- `(\\w+)`: `([^`]*)`$", Pattern.MULTILINE).matcher(SCHEMA.getDescription());
        while (line.find()) {
            listed.put(line.group(1), line.group(2));
        }
        Map<String, String> declared = new LinkedHashMap<>();
        JobSettings.ALL.stream().filter(s -> !s.isSetByService() && !DEFAULTS_OF_THE_SERVICE.contains(s.name()))
                .forEach(s -> declared.put(s.fieldName(), s.defaultText()));
        assertThat(listed).as("the defaults in the description of the contract's JobSettings schema")
                .containsExactlyEntriesOf(declared);
    }

    @Test
    void choicesAreTheDeclaredOnes() {
        for (Setting<?> setting : JobSettings.ALL) {
            Schema<?> property = SCHEMA.getProperties().get(setting.fieldName());
            if (property == null || setting.choices().isEmpty() || "boolean".equals(property.getType())) {
                continue;
            }
            Schema<?> values = property.getItems() != null ? property.getItems() : property;
            assertThat(values.getEnum()).as(setting.fieldName()).map(String::valueOf)
                    .containsExactlyElementsOf(setting.choices());
        }
    }
}
