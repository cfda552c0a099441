package io.kccr.cli;

import io.kccr.core.settings.AffixSetting;
import io.kccr.core.settings.Setting;
import io.kccr.node.settings.ClusterScopeSettings;
import io.kccr.node.settings.NodeScopeSettings;
import io.kccr.node.settings.RemoteClusterSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the node's setting definitions for {@code kccr node --help} and, as Markdown, for the README's tables
 * ({@code kccr node --settings-markdown} prints the README's blocks; a test checks the README against it), so both
 * say what the code accepts.
 */
final class SettingsHelp {

    /** The settings of one README table: those taken at start-up only, or the dynamic ones. */
    enum Table {
        NODE("node"), DYNAMIC("dynamic");

        private final String marker;

        Table(String marker) {
            this.marker = marker;
        }

        /** The comment line before the table in the README. */
        String start() {
            return "<!-- settings:" + marker + " (generated: bin/kccr node --settings-markdown) -->";
        }

        /** The comment line after the table in the README. */
        String end() {
            return "<!-- /settings:" + marker + " -->";
        }

        /** The definitions, in table order; families and passthroughs under their key with placeholders. */
        List<Setting<?>> settings() {
            List<Setting<?>> out = new ArrayList<>();
            if (this == NODE) {
                out.addAll(NodeScopeSettings.ALL);
                out.add(NodeScopeSettings.KAFKA_CLIENT.pattern());
            } else {
                out.addAll(ClusterScopeSettings.ALL);
                for (AffixSetting<?> remote : RemoteClusterSettings.ALL) {
                    out.add(remote.pattern());
                }
            }
            return out;
        }
    }

    private static final String INDENT = "      ";

    private SettingsHelp() {
    }

    /** Plain text, lines no wider than {@code width} where the words allow. Ends with a line break. */
    static String text(int width) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append("Settings: give them as -E key=value, or as keys of the --config YAML file,").append(nl)
                .append("flat (http.port: 9201) or nested (http: {port: 9201}); -E wins over the file.").append(nl);
        list(sb, Table.NODE, width, nl);
        sb.append(nl).append("Dynamic settings: given here too, and changed at run time with").append(nl)
                .append("PUT /_cluster/settings.").append(nl);
        list(sb, Table.DYNAMIC, width, nl);
        sb.append(nl).append("Time values take nanos, micros, ms, s, m, h or d; byte sizes b, kb, mb, gb, tb or pb.")
                .append(nl).append("Any other key is rejected (exit code 2).").append(nl);
        return sb.toString();
    }

    private static void list(StringBuilder sb, Table table, int width, String nl) {
        for (Setting<?> s : table.settings()) {
            sb.append("  ").append(s.key())
                    .append(s.defaultValue().map(d -> " (default: " + d + ")").orElse(" (unset by default)"))
                    .append(nl);
            wrap(sb, s.doc(), width, nl);
            wrap(sb, "Accepts: " + s.accepted(), width, nl);
        }
    }

    /** The README's block for {@code table}: its start comment, the Markdown table, its end comment. */
    static String markdown(Table table) {
        StringBuilder sb = new StringBuilder();
        sb.append(table.start()).append('\n');
        sb.append("| Setting | Default | Description |\n");
        sb.append("| --- | --- | --- |\n");
        for (Setting<?> s : table.settings()) {
            sb.append("| `").append(s.key()).append("` | ")
                    .append(s.defaultValue().map(d -> "`" + d + "`").orElse("(unset)")).append(" | ")
                    .append(s.doc().replace("|", "\\|")).append(" |\n");
        }
        sb.append(table.end()).append('\n');
        return sb.toString();
    }

    private static void wrap(StringBuilder sb, String text, int width, String nl) {
        int max = Math.max(20, width - INDENT.length());
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!line.isEmpty() && line.length() + 1 + word.length() > max) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        for (String l : lines) {
            sb.append(INDENT).append(l).append(nl);
        }
    }
}
