package io.kccr.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node in a child JVM ({@link NodeMain}) with the given settings, its output pumped to a log file: what the
 * crash tests kill with SIGKILL. Started through {@link TestNode#startChild}.
 */
public final class ChildNode {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final String httpAddress;
    private final Http http;
    private final Path logFile;
    private final double startSeconds;

    private ChildNode(Process process, String httpAddress, Path logFile, double startSeconds) {
        this.process = process;
        this.httpAddress = httpAddress;
        this.http = new Http(httpAddress);
        this.logFile = logFile;
        this.startSeconds = startSeconds;
    }

    /**
     * Starts {@code NodeMain -E<key>=<value>...}; returns once the node serves HTTP. Tests start one with
     * {@link TestNode#startChild}, so that it has the same settings and defaults as an in-process node.
     */
    static ChildNode start(Map<String, String> settings, Path logFile) throws Exception {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1"); // short-lived: start fast rather than peak
        if (Runtime.version().feature() >= 24) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.add("-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(NodeMain.class.getName());
        settings.forEach((k, v) -> cmd.add("-E" + k + "=" + v));
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line);
                    if (line.startsWith(NodeMain.READY)) {
                        ready.complete(line.substring(NodeMain.READY.length()).trim());
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            } finally {
                ready.completeExceptionally(new IllegalStateException("the node's output ended before it was ready"));
            }
        }, "node-output-" + logFile.getFileName());
        pump.setDaemon(true);
        pump.start();
        try {
            String address = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new ChildNode(process, address, logFile, (System.nanoTime() - t0) / 1e9);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("node did not start within " + START_TIMEOUT + " (" + e + "); its log "
                    + logFile.toAbsolutePath() + " ends with:\n" + tail(logFile), e);
        }
    }

    private static String classPath;

    /**
     * The test JVM's class path with the project's own entries (the modules' jars and class directories) copied
     * once to a directory of their own: a build of the same tree running meanwhile (the tree is shared) cannot take
     * a class away from a node started later.
     */
    private static synchronized String classPath() throws IOException {
        if (classPath == null) {
            Path root = Files.createTempDirectory("kccr-child-classpath-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var paths = Files.walk(root)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // a temporary directory: the OS cleans it eventually
                }
            }, "child-classpath-cleanup"));
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                Path source = Path.of(entry);
                boolean ours = source.toString().contains("kccr");
                if (ours && Files.isRegularFile(source)) { // a module's jar, in target/ or ~/.m2: rewritten by builds
                    Path target = root.resolve(i++ + "-" + source.getFileName());
                    Files.copy(source, target);
                    entries.add(target.toString());
                } else if (Files.isDirectory(source)) {
                    Path target = root.resolve(Integer.toString(i++));
                    try (var paths = Files.walk(source)) {
                        for (Path from : paths.toList()) {
                            Path to = target.resolve(source.relativize(from).toString());
                            if (Files.isDirectory(from)) {
                                Files.createDirectories(to);
                            } else {
                                Files.copy(from, to);
                            }
                        }
                    }
                    entries.add(target.toString());
                } else {
                    entries.add(entry);
                }
            }
            classPath = String.join(java.io.File.pathSeparator, entries);
        }
        return classPath;
    }

    public Http http() {
        return http;
    }

    public String httpAddress() {
        return httpAddress;
    }

    public double startSeconds() {
        return startSeconds;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("killed node exits").isTrue();
        assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(137);
    }

    /** SIGSTOP: the process stays, silent (no heartbeat, no answer) until {@link #resume}; a zombie in the making. */
    public void pause() throws Exception {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}: the process goes on where it stopped, unaware of the time that passed. */
    public void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -%s %d", name, process.pid())
                .isTrue();
    }

    /** SIGTERM (the node closes itself), and wait until the process is gone. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            fail("node did not stop within 60s of SIGTERM; log: " + logFile.toAbsolutePath());
        }
    }

    public void killQuietly() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
