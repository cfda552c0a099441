package io.kccr.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own ({@link NodeProcessMain}), so that its threads, memory and CPU can be measured apart
 * from the benchmark's: started with the given JVM options and node settings, its output in a log file, stopped by
 * closing its standard input (the node closes cleanly).
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final String httpAddress;
    private final OutputStream stdin;

    private NodeProcess(Process process, String httpAddress) {
        this.process = process;
        this.httpAddress = httpAddress;
        this.stdin = process.getOutputStream();
    }

    static NodeProcess start(List<String> jvmOptions, Map<String, String> settings, Path logFile) throws Exception {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeProcessMain.class.getName());
        settings.forEach((k, v) -> cmd.add(k + "=" + v));
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
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
                        + " see " + logFile));
            }
        }, "node-process-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new NodeProcess(process, ready.get(3, TimeUnit.MINUTES));
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    String httpAddress() {
        return httpAddress;
    }

    ProcStats stats() throws IOException {
        return ProcStats.of(process.pid());
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
