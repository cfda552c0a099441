package io.kccr.cli;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.NodeStartException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kccr node}: starts a node and runs it until Ctrl-C. */
@Command(name = "node",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Run a node: the Elasticsearch-compatible REST API, publishing every write to Kafka.",
        description = {
                "Starts a node (and, unless kafka.bootstrap.servers is set, an embedded single-node Kafka broker),"
                        + " prints one line when it is ready, then runs until Ctrl-C.",
                "",
                "Example: kccr node -E http.port=9201 -E path.data=/tmp/kccr --sample-data"})
final class NodeCommand implements Callable<Integer> {

    /** The environment variable {@code bootstrap.password} is taken from when not set otherwise. */
    static final String ELASTIC_PASSWORD_ENV = "ELASTIC_PASSWORD";

    @Spec
    CommandSpec spec;

    @Option(names = "-E", paramLabel = "<key=value>",
            description = "Set a node setting (repeatable; wins over --config). The settings are listed below.")
    List<String> settings = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "<path.yml>",
            description = "YAML file of settings, flat (http.port: 9201) or nested (http: {port: 9201}).")
    Path config;

    @Option(names = "--sample-data",
            description = "Once ready, load the bundled GeoNames sample into index 'geonames' (unless it exists).")
    boolean sampleData;

    @Option(names = "--settings-markdown", hidden = true,
            description = "Print the README's settings tables as Markdown and exit.")
    boolean settingsMarkdown;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (settingsMarkdown) {
            spec.commandLine().getOut().print(SettingsHelp.markdown(SettingsHelp.Table.NODE) + "\n"
                    + SettingsHelp.markdown(SettingsHelp.Table.DYNAMIC));
            spec.commandLine().getOut().flush();
            return 0;
        }
        NodeSettings nodeSettings;
        try {
            nodeSettings = NodeSettings.load(config, parseOverrides(settings));
            String elasticPassword = System.getenv(ELASTIC_PASSWORD_ENV);
            if (nodeSettings.bootstrapPassword().isEmpty() && elasticPassword != null && !elasticPassword.isEmpty()) {
                // as Elasticsearch's image takes it: from the environment, never on the process list
                nodeSettings = nodeSettings.with("bootstrap.password", elasticPassword);
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println(e.getMessage());
            err.flush();
            return Kccr.EXIT_USAGE;
        }

        Node node;
        try {
            node = Node.start(nodeSettings);
        } catch (NodeStartException e) {
            err.println("kccr: node [" + nodeSettings.nodeName() + "] did not start: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    node.close();
                } finally {
                    stopped.countDown();
                }
            }
        };
        Thread hook = new Thread(close, "kccr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        System.out.println("kccr node [" + nodeSettings.nodeName() + "] of cluster [" + nodeSettings.clusterName()
                + "] ready: " + node.httpAddress() + ", kafka bootstrap servers " + node.kafkaBootstrapServers()
                + (node.durabilityNote() == null ? "" : " (" + node.durabilityNote() + ")"));
        System.out.print(SecurityBanner.text(node, "bin/kccr reset-password -u elastic"
                + (config != null ? " --config " + config : "") + " -E path.data=" + nodeSettings.dataPath()));
        System.out.flush();

        if (sampleData) {
            try {
                node.loadSampleData(System.out);
                System.out.flush();
            } catch (RuntimeException e) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook closes the node
                }
                close.run();
                throw e;
            }
        }
        stopped.await(); // until Ctrl-C: the shutdown hook closes the node
        return 0;
    }

    /**
     * {@code -E key=value} arguments as a map, split at the first {@code =}; a key given twice is an error, as in
     * Elasticsearch.
     */
    static Map<String, String> parseOverrides(List<String> args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting [" + arg + "] must be given as -E key=value");
            }
            String key = arg.substring(0, eq);
            String value = arg.substring(eq + 1);
            String previous = map.putIfAbsent(key, value);
            if (previous != null) {
                throw new IllegalArgumentException("setting [" + key + "] already set, saw [" + previous + "] and [" + value + "]");
            }
        }
        return map;
    }
}
