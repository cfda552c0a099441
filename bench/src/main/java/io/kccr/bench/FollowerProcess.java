package io.kccr.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The follower side of the follower benchmark in a JVM of its own ({@link FollowerProcessMain}, on this JVM's class
 * path with the same JDK), driven line by line: {@link #follow} asks it for one {@link FollowRun} and waits for the
 * answer. What else it prints goes to a log file. Closing it ends its input, which stops it; one that does not stop
 * within a minute is killed. Not thread-safe.
 */
final class FollowerProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;
    private final PrintStream log;

    private FollowerProcess(Process process, PrintStream log) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.log = log;
    }

    /** Starts the follower side with {@code jvmOptions} (e.g. {@code -Xmx512m}), following {@code run}'s leader. */
    static FollowerProcess start(List<String> jvmOptions, FollowRun run, Path work, Path logFile) throws IOException {
        List<String> cmd = NodeProcess.java(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FollowerProcessMain.class.getName(),
                run.bootstrapServers(), run.opsTopic(), run.metaTopic(), run.leaderIndex(), work.toString()));
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        PrintStream log = new PrintStream(Files.newOutputStream(logFile, StandardOpenOption.APPEND), true,
                StandardCharsets.UTF_8);
        return new FollowerProcess(process, log);
    }

    /** Runs a follow of {@code name} until shard i has applied {@code lastSeqNos[i]}; blocks until it is done. */
    FollowRun.Result follow(String name, long[] lastSeqNos) throws IOException {
        in.write("follow " + name + " " + Arrays.stream(lastSeqNos).mapToObj(Long::toString)
                .collect(Collectors.joining(",")) + "\n");
        in.flush();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(FollowerProcessMain.FOLLOWED + name + " ")) {
                String[] f = line.substring(FollowerProcessMain.FOLLOWED.length()).split(" ");
                return new FollowRun.Result(Double.parseDouble(f[1]), Double.parseDouble(f[2]));
            }
            log.println(line);
        }
        throw new IOException("the follower's JVM ended without answering; exit code "
                + (process.isAlive() ? "none yet" : process.exitValue()));
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.close();
        } catch (IOException e) {
            // gone already
        }
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        log.close();
    }
}
