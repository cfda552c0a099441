package io.kccr.bench;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a {@link NodeProcess}: starts a node with the {@code key=value} settings given as arguments,
 * prints {@value #READY} and its HTTP address, and closes it when its standard input ends.
 */
public final class NodeProcessMain {
    static final String READY = "node ready:";

    private NodeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        try (Node node = Node.start(NodeSettings.of(settings))) {
            System.out.println(READY + " " + node.httpAddress());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes our standard input
            }
        }
        System.exit(0);
    }
}
