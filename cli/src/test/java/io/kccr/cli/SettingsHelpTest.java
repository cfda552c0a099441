package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.settings.Setting;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code kccr node --help} and the README's settings tables say what the setting definitions say. */
class SettingsHelpTest {
    private static final Pattern ROW = Pattern.compile("\\| `([^`]+)` \\| (?:`([^`]*)`|\\(unset\\)) \\|.*");

    private static String readmeBlock(SettingsHelp.Table table) throws Exception {
        String readme = Files.readString(DockerFiles.root().resolve("README.md"));
        int start = readme.indexOf(table.start());
        int end = readme.indexOf(table.end());
        assertThat(start).as("README.md has the line " + table.start()).isNotNegative();
        assertThat(end).as("README.md has the line " + table.end()).isGreaterThan(start);
        return readme.substring(start, end + table.end().length()) + "\n";
    }

    @ParameterizedTest
    @EnumSource(SettingsHelp.Table.class)
    void theReadmeTableIsTheGeneratedOne(SettingsHelp.Table table) throws Exception {
        assertThat(readmeBlock(table))
                .as("README.md's %s settings table is out of date: replace it with the output of "
                        + "bin/kccr node --settings-markdown", table)
                .isEqualTo(SettingsHelp.markdown(table));
    }

    @ParameterizedTest
    @EnumSource(SettingsHelp.Table.class)
    void theReadmeTableListsExactlyTheDefinedKeysWithTheirDefaults(SettingsHelp.Table table) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : readmeBlock(table).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                rows.add(m.group(1) + " = " + (m.group(2) == null ? "(unset)" : m.group(2)));
            }
        }
        List<String> defined = table.settings().stream()
                .map(s -> s.key() + " = " + s.defaultValue().orElse("(unset)")).toList();
        assertThat(rows).containsExactlyElementsOf(defined);
    }

    @Test
    void nodeHelpListsEverySettingWithItsDefaultAndWhatItAccepts() {
        Cli help = Cli.run("node", "--help");
        assertThat(help.code()).isZero();
        String out = help.out().replaceAll("\\s+", " ");
        for (SettingsHelp.Table table : SettingsHelp.Table.values()) {
            for (Setting<?> s : table.settings()) {
                assertThat(out).contains(s.key() + s.defaultValue().map(d -> " (default: " + d + ")")
                        .orElse(" (unset by default)"));
                assertThat(out).contains("Accepts: " + s.accepted());
            }
        }
        assertThat(out).contains("http.port (default: 9200)", "ccr.write.timeout (default: 10s)",
                "kafka.<client property>", "cluster.remote.<name>.seeds (unset by default)",
                "ccr.indices.recovery.chunk_size (default: 8mb)");
    }

    @Test
    void settingsMarkdownPrintsBothBlocks() {
        Cli md = Cli.run("node", "--settings-markdown");
        assertThat(md.code()).isZero();
        assertThat(md.out()).isEqualTo(SettingsHelp.markdown(SettingsHelp.Table.NODE) + "\n"
                + SettingsHelp.markdown(SettingsHelp.Table.DYNAMIC));
    }
}
