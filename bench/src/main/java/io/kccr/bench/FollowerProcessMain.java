package io.kccr.bench;

import io.kccr.follower.FollowerRuntime;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The main class of the follower side of {@code bench follower --follower-heap}, in a JVM of its own (its own heap
 * limit, its own RSS, no leader node or broker in its heap): arguments {@code bootstrapServers opsTopic metaTopic
 * leaderIndex workDir}. Each line {@code follow <name> <lastSeqNo>,<lastSeqNo>,...} on its standard input runs a
 * {@link FollowRun} on a runtime shared by all runs (as a node's) and answers {@link #FOLLOWED}
 * {@code <name> <docs/s> <ms to the first op>} on its standard output; the end of the input stops it.
 */
public final class FollowerProcessMain {
    /** The prefix of the answer to a {@code follow} line. */
    static final String FOLLOWED = "KCCR-BENCH-FOLLOWED ";

    private FollowerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            throw new IllegalArgumentException("expected: bootstrapServers opsTopic metaTopic leaderIndex workDir");
        }
        FollowRun run = new FollowRun(args[0], args[1], args[2], args[3]);
        Path work = Path.of(args[4]);
        try (FollowerRuntime runtime = FollowerRuntime.withDefaults(Duration.ofSeconds(10), Clock.systemUTC());
             BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] words = line.trim().split(" ");
                if (words.length != 3 || !words[0].equals("follow")) {
                    throw new IllegalArgumentException("unexpected line [" + line + "]; expected: follow NAME SEQNOS");
                }
                long[] lastSeqNos = Arrays.stream(words[2].split(",")).mapToLong(Long::parseLong).toArray();
                FollowRun.Result r = run.follow(runtime, words[1], lastSeqNos, work.resolve(words[1]));
                System.out.println(FOLLOWED + words[1] + " " + String.format(Locale.ROOT, "%.1f %.1f",
                        r.docsPerSecond(), r.startMillis()));
                System.out.flush();
            }
        }
        System.exit(0); // non-daemon client threads must not keep the JVM
    }
}
