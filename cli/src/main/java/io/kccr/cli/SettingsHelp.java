package io.kccr.cli;

import io.kccr.node.settings.NodeSetting;
import io.kccr.node.settings.NodeSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the node settings table ({@link NodeSettings#definitions()}) for {@code kccr node --help} and, as
 * Markdown, for the README ({@code kccr node --settings-markdown}), so both stay consistent with the code.
 */
final class SettingsHelp {

    private static final String INDENT = "      ";

    private SettingsHelp() {
    }

    /** Plain text, lines no wider than {@code width} where the words allow. Ends with a line break. */
    static String text(int width) {
        String nl = System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append("Settings: give them as -E key=value, or as keys of the --config YAML file,").append(nl)
                .append("flat (http.port: 9201) or nested (http: {port: 9201}); -E wins over the file.").append(nl);
        for (NodeSetting s : NodeSettings.definitions()) {
            sb.append("  ").append(s.key())
                    .append(s.defaultValue().map(d -> " (default: " + d + ")").orElse(" (unset by default)"))
                    .append(nl);
            wrap(sb, s.doc(), width, nl);
            wrap(sb, "Accepts: " + s.accepted(), width, nl);
        }
        sb.append("  kafka.<client property>").append(nl);
        wrap(sb, NodeSettings.KAFKA_PASSTHROUGH_DOC, width, nl);
        sb.append(nl).append("Any other key is rejected (exit code 2).").append(nl);
        return sb.toString();
    }

    /** A Markdown table of the settings, for the README. */
    static String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Setting | Default | Accepts | Description |\n");
        sb.append("| --- | --- | --- | --- |\n");
        for (NodeSetting s : NodeSettings.definitions()) {
            sb.append("| `").append(s.key()).append("` | ")
                    .append(s.defaultValue().map(d -> "`" + d + "`").orElse("(unset)")).append(" | ")
                    .append(md(s.accepted())).append(" | ")
                    .append(md(s.doc())).append(" |\n");
        }
        sb.append("| `kafka.<client property>` | | any Kafka client property | ")
                .append(md(NodeSettings.KAFKA_PASSTHROUGH_DOC)).append(" |\n");
        return sb.toString();
    }

    private static String md(String text) {
        return text.replace("|", "\\|");
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
