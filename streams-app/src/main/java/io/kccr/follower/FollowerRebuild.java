package io.kccr.follower;

import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.ShardRegistry;
import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.core.io.StateFile;
import io.kccr.follower.replay.AsOf;
import io.kccr.follower.replay.LogReplay;
import io.kccr.follower.replay.ShardReplay;
import io.kccr.follower.replay.ShardReplayState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.lucene.util.IOUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's rebuild from its leader's log: a fresh index replayed from the log's start, up to
 * now or up to a point in time ({@link AsOf}). The request is recorded durably first
 * ({@code rebuild.json}), so a rebuild that a crash or a pause interrupts starts over at the next
 * start; a point-in-time rebuild that finished stays recorded as held, which keeps the follower
 * paused at that point across restarts until it is resumed (then it streams on from the cut).
 *
 * <p>Used under the follower's lock, except {@link #states}.
 */
final class FollowerRebuild {
    private static final Logger log = LoggerFactory.getLogger(FollowerRebuild.class);
    static final String MARKER = "rebuild.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The marker's content: what to rebuild to, and whether it is done (held at a point in time).
     * Written snake_case; an earlier version wrote {@code asOf}, still read.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Request(@JsonAlias("asOf") AsOf asOf, boolean held) {
    }

    private final Path dir;
    private volatile List<ShardReplayState> states = List.of();
    /** Whether the shards were last filled by a rebuild, not a bootstrap ({@link #bootstrapping} clears it). */
    private volatile boolean last;
    private final BackgroundWork background;

    /** Rebuilds run on a thread of their own. */
    FollowerRebuild(Path dir) {
        this(dir, Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory()));
    }

    /** Rebuilds run on {@code executor}. */
    FollowerRebuild(Path dir, Executor executor) {
        this.dir = dir;
        this.background = new BackgroundWork("rebuild", false, executor);
    }

    /** The recorded request; null when none. */
    Request request() {
        Path marker = dir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return null;
        }
        try {
            return JSON.readValue(marker.toFile(), Request.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable rebuild marker " + marker + ": delete the follower and follow"
                    + " the leader again", e);
        }
    }

    /** Whether a rebuild was asked for and has not finished. */
    boolean pending() {
        Request r = request();
        return r != null && !r.held();
    }

    /** Whether the follower was rebuilt to a point in time and stays paused there until resumed. */
    boolean held() {
        Request r = request();
        return r != null && r.held();
    }

    /** Records (durably) that the follower must be rebuilt to {@code asOf}. */
    void record(AsOf asOf) {
        write(new Request(asOf, false));
    }

    /** The rebuild is done: held at its point in time, or forgotten when it was to the log's end. */
    void finish(AsOf asOf) {
        if (asOf.isPointInTime()) {
            write(new Request(asOf, true));
        } else {
            release();
        }
    }

    /** Forgets the request (a held follower resumes streaming). */
    void release() {
        try {
            StateFile.delete(dir.resolve(MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(Request request) {
        try {
            StateFile.write(dir.resolve(MARKER), JSON.writeValueAsBytes(request));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What stops a follower whose replay of {@code opsTopic} failed with {@code e}. */
    static FollowerFailure failure(Exception e, String opsTopic, String follower) {
        FollowerFailure failure = FollowerFailure.find(e);
        return failure != null ? failure : new FollowerFailure("exception", "rebuild from the leader's log ["
                + opsTopic + "] failed: " + e.getMessage() + ". Start it over with POST /" + follower
                + "/_ccr/resume_follow once the remote's Kafka is reachable");
    }

    /** Each shard's progress of the last (or running) replay; empty when none ran in this process. */
    List<ShardReplayState> states() {
        return states;
    }

    /** Whether the shards were last filled by a rebuild from the log, not a bootstrap. */
    boolean last() {
        return last;
    }

    /** A bootstrap fills the shards now. */
    void bootstrapping() {
        last = false;
    }

    /** Runs {@code work} on the rebuild thread, with fresh progress for {@code shards}. */
    void start(String followerName, ShardSubset shards, Runnable task) {
        last = true;
        List<ShardReplayState> s = new ArrayList<>();
        for (int i : shards.ids()) {
            s.add(new ShardReplayState(i));
        }
        states = List.copyOf(s);
        background.start(followerName, task);
    }

    /** The rebuild's thread: running, current, stop. */
    BackgroundWork background() {
        return background;
    }

    /**
     * On the rebuild's thread: deletes the shard directories, opens every shard empty, checks with
     * {@code coverage} that the log holds their history (invariant 7), and replays the log into them
     * up to {@code asOf}, until {@code stopped}. On return the shards are open (held once in
     * {@code registry}) and committed; on an exception they were released.
     *
     * @throws InterruptedException if stopped (pause, close)
     */
    void replay(ShardRegistry registry, ShardSubset shards, Supplier<FollowerFailure> coverage, ShardReplay replay,
                AsOf asOf, BooleanSupplier stopped) throws IOException, InterruptedException {
        if (!registry.openShards().isEmpty()) {
            throw new IllegalStateException("the follower's shards are still open; pause it, wait, and resume it");
        }
        long t0 = System.nanoTime();
        IOUtils.rm(dir.resolve("shards"));
        List<ShardRegistry.Handle> handles = new ArrayList<>();
        boolean done = false;
        try {
            for (int i : shards.ids()) {
                handles.add(registry.acquire(i));
            }
            long t1 = System.nanoTime();
            FollowerFailure lost = coverage.get();
            if (lost != null) {
                throw lost;
            }
            long t2 = System.nanoTime();
            LogReplay.run(handles, replay, asOf, states, stopped);
            log.info("rebuild of [{}]: shards wiped and opened in {} ms, log checked in {} ms, replayed in {} ms",
                    dir.getFileName(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                    (System.nanoTime() - t2) / 1_000_000);
            done = true;
        } finally {
            if (!done) {
                for (ShardRegistry.Handle h : handles) {
                    try {
                        registry.release(h.shard().shardId());
                    } catch (RuntimeException e) {
                        log.warn("releasing shard [{}] after a stopped rebuild failed", h.shard().shardId(), e);
                    }
                }
            }
        }
    }
}
