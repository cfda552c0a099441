package io.kccr.testkit;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a node in its own JVM for tests that kill it: {@code NodeMain -Ekey=value ...} (or
 * {@code -E key=value}) starts a {@link Node} with those settings, prints {@link #READY} followed
 * by its HTTP address on stdout, and runs until the process ends (SIGTERM closes the node;
 * SIGKILL is the point).
 */
public final class NodeMain {
    /** The stdout line prefix announcing that the node serves requests: {@code READY <http address>}. */
    public static final String READY = "KCCR-NODE-READY ";

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String setting;
            if (arg.equals("-E") && i + 1 < args.length) {
                setting = args[++i];
            } else if (arg.startsWith("-E") && arg.length() > 2) {
                setting = arg.substring(2);
            } else {
                throw new IllegalArgumentException("unexpected argument [" + arg + "]; expected -Ekey=value");
            }
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("setting [" + setting + "] is not key=value");
            }
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        Node node = Node.start(NodeSettings.of(settings));
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-shutdown"));
        System.out.println(READY + node.httpAddress());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
