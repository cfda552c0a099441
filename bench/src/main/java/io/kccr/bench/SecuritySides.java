package io.kccr.bench;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes a benchmark measures for {@code --security off|on|both}: with {@code both}, one node with security off and
 * one with it on (users authenticated with HTTP Basic, as a client would), measured in the same run, so the cost of
 * security is the difference of their ratios. Each node has its own embedded Kafka and data.
 */
final class SecuritySides implements AutoCloseable {
    /** One node measured: its label, the node, and the {@code Authorization} header its requests carry (or null). */
    record Side(String label, Node node, String authorization) {
    }

    private static final String PASSWORD = "bench-elastic-password";

    private final List<Side> sides;

    private SecuritySides(List<Side> sides) {
        this.sides = sides;
    }

    /** The usage text of the option. */
    static final String USAGE = "[--security off|on|both (off)]";

    /**
     * Starts the nodes {@code --security} asks for under {@code work}, each with {@code base} settings.
     *
     * @throws IllegalArgumentException for a value other than off, on or both
     */
    static SecuritySides start(BenchArgs args, Path work, Map<String, String> base) throws Exception {
        String mode = args.stringOption("--security", "off");
        if (!List.of("off", "on", "both").contains(mode)) {
            throw new IllegalArgumentException("--security takes off, on or both, got [" + mode + "]");
        }
        List<Side> out = new ArrayList<>();
        try {
            if (!mode.equals("on")) {
                out.add(new Side(mode.equals("both") ? "security off" : "", start(work.resolve("node"), base, false),
                        null));
            }
            if (!mode.equals("off")) {
                out.add(new Side(mode.equals("both") ? "security on" : "", start(work.resolve("node-secured"), base,
                        true), "Basic " + Base64.getEncoder().encodeToString(("elastic:" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))));
            }
        } catch (Exception | Error e) {
            out.forEach(s -> s.node().close());
            throw e;
        }
        return new SecuritySides(out);
    }

    private static Node start(Path data, Map<String, String> base, boolean secured) throws Exception {
        Map<String, String> settings = new HashMap<>(base);
        settings.put("path.data", data.toString());
        settings.put("xpack.security.enabled", Boolean.toString(secured));
        if (secured) {
            settings.put("bootstrap.password", PASSWORD);
        }
        return Node.start(NodeSettings.of(settings));
    }

    List<Side> sides() {
        return sides;
    }

    /** Whether two sides are compared. */
    boolean comparing() {
        return sides.size() == 2;
    }

    @Override
    public void close() {
        sides.forEach(s -> s.node().close());
    }
}
