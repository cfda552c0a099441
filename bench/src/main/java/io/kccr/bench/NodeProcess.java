package io.kccr.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own, started by a benchmark to measure one side apart (its own heap limit, its own RSS):
 * {@link NodeProcessMain} on this JVM's class path, with the same JDK. Its output goes to a log file. Closing it
 * ends its standard input, which stops the node cleanly; a node that does not stop within a minute is killed.
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final String httpAddress;
    private final Path log;

    private NodeProcess(Process process, String httpAddress, Path log) {
        this.process = process;
        this.httpAddress = httpAddress;
        this.log = log;
    }

    /** Starts a node with {@code settings} in a JVM with {@code jvmOptions} (e.g. {@code -Xmx512m}); returns once it serves HTTP. */
    static NodeProcess start(List<String> jvmOptions, Map<String, String> settings, Path log) throws Exception {
        List<String> cmd = java(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeProcessMain.class.getName());
        settings.forEach((k, v) -> cmd.add("-E" + k + "=" + v));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 PrintStream out = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line);
                    if (line.startsWith(NodeProcessMain.READY)) {
                        ready.complete(line.substring(NodeProcessMain.READY.length()).trim());
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                ready.completeExceptionally(new IllegalStateException("the node's output ended before it was ready;"
                        + " see " + log));
            }
        }, "bench-node-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new NodeProcess(process, ready.get(2, TimeUnit.MINUTES), log);
        } catch (Exception e) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("a node in its own JVM did not start: " + e.getMessage() + "; its log: "
                    + log, e);
        }
    }

    /**
     * The command line of a JVM of this JDK with {@code jvmOptions}, and what Kafka and Lucene need on JDK 24+ (as
     * bin/kccr passes): the start of every command a benchmark starts a side of its own with.
     */
    static List<String> java(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        return cmd;
    }

    String httpAddress() {
        return httpAddress;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** Its threads, resident memory and CPU time now, from {@code /proc}. */
    ProcStats stats() throws IOException {
        return ProcStats.of(process.pid());
    }

    /** Kills the node's JVM with SIGKILL, as a crash would, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
