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
 * security is the difference of their ratios. Each node has its own embedded Kafka and data, and runs either in the
 * benchmark's JVM ({@link #start}) or in a JVM of its own ({@link #startProcesses}), as {@code bin/kccr} runs one.
 */
final class SecuritySides implements AutoCloseable {
    /**
     * One node measured: its label, the node (in this JVM, else null) or its process (in a JVM of its own, else
     * null), and the {@code Authorization} header its requests carry (or null).
     */
    record Side(String label, Node node, NodeProcess process, String authorization) {
        String httpAddress() {
            return node != null ? node.httpAddress() : process.httpAddress();
        }

        /** The id of the process the node runs in. */
        long pid() {
            return node != null ? ProcessHandle.current().pid() : process.pid();
        }

        void close() throws InterruptedException {
            if (node != null) {
                node.close();
            } else {
                process.close();
            }
        }
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
        return start(args, work, base, null);
    }

    /**
     * As {@link #start(BenchArgs, Path, Map)}, each node in a JVM of its own with {@code jvmOptions}, its output in
     * {@code <its data>.log}.
     */
    static SecuritySides startProcesses(BenchArgs args, Path work, Map<String, String> base, List<String> jvmOptions)
            throws Exception {
        return start(args, work, base, java.util.Objects.requireNonNull(jvmOptions));
    }

    private static SecuritySides start(BenchArgs args, Path work, Map<String, String> base, List<String> jvmOptions)
            throws Exception {
        String mode = args.stringOption("--security", "off");
        if (!List.of("off", "on", "both").contains(mode)) {
            throw new IllegalArgumentException("--security takes off, on or both, got [" + mode + "]");
        }
        List<Side> out = new ArrayList<>();
        try {
            if (!mode.equals("on")) {
                out.add(side(mode.equals("both") ? "security off" : "", work.resolve("node"), base, false,
                        jvmOptions));
            }
            if (!mode.equals("off")) {
                out.add(side(mode.equals("both") ? "security on" : "", work.resolve("node-secured"), base, true,
                        jvmOptions));
            }
        } catch (Exception | Error e) {
            for (Side side : out) {
                side.close();
            }
            throw e;
        }
        return new SecuritySides(out);
    }

    private static Side side(String label, Path data, Map<String, String> base, boolean secured,
                             List<String> jvmOptions) throws Exception {
        Map<String, String> settings = new HashMap<>(base);
        settings.put("path.data", data.toString());
        settings.put("xpack.security.enabled", Boolean.toString(secured));
        if (secured) {
            settings.put("bootstrap.password", PASSWORD);
        }
        String authorization = secured ? "Basic " + Base64.getEncoder().encodeToString(("elastic:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8)) : null;
        if (jvmOptions == null) {
            return new Side(label, Node.start(NodeSettings.of(settings)), null, authorization);
        }
        return new Side(label, null, NodeProcess.start(jvmOptions, settings, Path.of(data + ".log")), authorization);
    }

    List<Side> sides() {
        return sides;
    }

    /** Whether two sides are compared. */
    boolean comparing() {
        return sides.size() == 2;
    }

    @Override
    public void close() throws InterruptedException {
        for (Side side : sides) {
            side.close();
        }
    }
}
