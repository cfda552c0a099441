package io.kccr.bench;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a node a benchmark runs in a JVM of its own ({@link NodeProcess}): {@code -Ekey=value}
 * arguments are its settings; it prints {@link #READY} and its HTTP address once it serves requests, and stops
 * cleanly when its standard input ends (the benchmark closed it, or ended).
 */
public final class NodeProcessMain {
    /** The line prefix announcing that the node serves requests: {@code READY <http address>}. */
    static final String READY = "KCCR-BENCH-NODE-READY ";

    private NodeProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("-E") || eq < 3) {
                throw new IllegalArgumentException("unexpected argument [" + arg + "]; expected -Ekey=value");
            }
            settings.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        try (Node node = Node.start(NodeSettings.of(settings))) {
            System.out.println(READY + node.httpAddress());
            System.out.flush();
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent: the end of the input is the signal to stop
                }
            } catch (IOException closed) {
                // the parent is gone: stop as well
            }
        }
        System.exit(0); // non-daemon threads of clients that outlived the node must not keep the JVM
    }
}
