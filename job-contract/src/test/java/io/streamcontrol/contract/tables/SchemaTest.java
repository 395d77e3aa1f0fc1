package io.streamcontrol.contract.tables;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamcontrol.contract.settings.Replication;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SchemaTest {

    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE IF NOT EXISTS ks\\.(\\w+) ");

    @Test
    void theTablesCheckedAtAStartAreTheTablesCreated() {
        List<String> created = Schema.statements("ks", Replication.simple(1)).stream().map(CREATE_TABLE::matcher)
                .filter(Matcher::find).map(m -> m.group(1)).toList();
        assertThat(created).containsExactlyInAnyOrderElementsOf(Schema.TABLES);
        assertThat(Schema.ADDED_COLUMNS.keySet()).isSubsetOf(Schema.TABLES);
    }
}
