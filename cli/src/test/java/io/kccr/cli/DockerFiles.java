package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The files under {@code docker/}, read as Docker, Compose, Prometheus and Grafana read them, for the tests:
 * the compose file, the Dockerfile's instructions, and each node service's {@code kccr node} arguments parsed by
 * the real command line and settings parser.
 */
final class DockerFiles {
    static final ObjectMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private DockerFiles() {
    }

    /** The repository root: the parent of the cli module the tests run in. */
    static Path root() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        return module.getParent();
    }

    static Path docker() {
        return root().resolve("docker");
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    static JsonNode compose() {
        return yaml(docker().resolve("compose.yaml"));
    }

    /** The Dockerfile's instructions, continuation lines joined, comments dropped: {@code [KEYWORD, rest]}. */
    static List<String[]> dockerfile() throws IOException {
        List<String[]> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(docker().resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String instruction = current.toString().strip();
            current.setLength(0);
            int space = instruction.indexOf(' ');
            out.add(new String[] {instruction.substring(0, space), instruction.substring(space + 1).strip()});
        }
        return out;
    }

    /** The rest of the only {@code keyword} instruction (e.g. {@code FROM}). */
    static String instruction(String keyword) throws IOException {
        List<String> found = dockerfile().stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + keyword + " in the Dockerfile, found " + found);
        }
        return found.get(0);
    }

    /** The ENTRYPOINT's exec-form array. */
    static List<String> entrypoint() throws IOException {
        List<String> args = new ArrayList<>();
        JSON.readTree(instruction("ENTRYPOINT")).forEach(a -> args.add(a.asText()));
        return args;
    }

    /** A node service's {@code kccr node} arguments: the ENTRYPOINT's after {@code node}, then its command. */
    static List<String> nodeArguments(JsonNode service) throws IOException {
        List<String> entrypoint = entrypoint();
        List<String> args = new ArrayList<>(entrypoint.subList(entrypoint.indexOf("node") + 1, entrypoint.size()));
        service.path("command").forEach(a -> args.add(a.asText()));
        return args;
    }

    /** A node service's arguments parsed by {@code kccr node}'s own command line: its {@link NodeCommand}. */
    static NodeCommand nodeCommand(JsonNode service) throws IOException {
        List<String> args = new ArrayList<>();
        args.add("node");
        args.addAll(nodeArguments(service));
        CommandLine.ParseResult parsed = Kccr.commandLine().parseArgs(args.toArray(String[]::new));
        return (NodeCommand) parsed.subcommand().commandSpec().userObject();
    }

    /** A node service's settings, validated by the node's settings parser. */
    static NodeSettings nodeSettings(JsonNode service) throws IOException {
        NodeCommand command = nodeCommand(service);
        return NodeSettings.load(command.config, NodeCommand.parseOverrides(command.settings));
    }

    private static final Pattern PORT_MAPPING = Pattern.compile("(?:[^:]+:)?(\\d+):(\\d+)(?:/tcp)?");

    /** A service's published ports as {@code [host, container]} pairs. */
    static List<int[]> ports(JsonNode service) {
        List<int[]> out = new ArrayList<>();
        for (JsonNode p : service.path("ports")) {
            Matcher m = PORT_MAPPING.matcher(p.asText());
            if (!m.matches()) {
                throw new AssertionError("port mapping [" + p.asText() + "] is not host:container");
            }
            out.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        return out;
    }
}
