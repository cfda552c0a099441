package io.kccr.follower;

import io.kccr.core.recovery.RestoreManifest;
import io.kccr.follower.bootstrap.BootstrapJob;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.lucene.util.IOUtils;

/**
 * A follower's remote recovery, run in the background before it first streams: the shard
 * directories are filled by a {@link BootstrapJob}, then a marker file records that they hold the
 * leader's commits, so a restart streams on from them instead of copying again. Until the marker
 * exists, every start bootstraps (again), reusing the files already verified.
 *
 * <p>Used under the follower's lock.
 */
final class FollowerBootstrap {
    static final String DONE_MARKER = "bootstrapped";
    /** Present from the copy's end until the consumer group was set to the commits' offsets. */
    static final String OFFSETS_MARKER = "offsets-from-commits";

    private final Path dir;
    private final Function<Path, BootstrapJob> jobs;
    private volatile List<ShardRecoveryState> states = List.of();
    private final BackgroundWork work = new BackgroundWork("bootstrap", true);

    /** {@code jobs} makes the job for a shards directory; null for a follower that never bootstraps. */
    FollowerBootstrap(Path dir, Function<Path, BootstrapJob> jobs) {
        this.dir = dir;
        this.jobs = jobs;
    }

    /** Whether the shard directories hold the leader's commits (or this follower replays from offset 0). */
    boolean done() {
        return jobs == null || Files.exists(dir.resolve(DONE_MARKER));
    }

    /** Whether a copy is running. */
    boolean running() {
        return work.running();
    }

    /** Each shard's progress of the last (or running) copy; empty when none ran in this process. */
    List<ShardRecoveryState> states() {
        return states;
    }

    /**
     * Starts copying in the background. On success {@code copied} runs (on the copying thread) with
     * the manifest of the installed commits, and must call {@link #markDone}; on failure {@code failed}
     * runs. Neither runs when the copy is {@link #stop}ped.
     */
    void start(String followerName, Consumer<RestoreManifest> copied, Consumer<Exception> failed) {
        BootstrapJob job = jobs.apply(dir.resolve("shards"));
        states = job.states();
        work.start(followerName, () -> {
            RestoreManifest manifest;
            try {
                manifest = job.run();
            } catch (InterruptedException | InterruptedIOException e) {
                return; // stopped: paused or closed
            } catch (Exception e) {
                if (!Thread.currentThread().isInterrupted()) {
                    failed.accept(e);
                }
                return;
            }
            copied.accept(manifest);
        });
    }

    /**
     * Records (durably) that the shard directories hold the leader's commits, and that the consumer
     * group must start at their offsets: until {@link #offsetsSet}, whatever the group committed
     * before (e.g. a follower of the same name deleted earlier) is overridden at every start.
     */
    void markDone() {
        try {
            Path offsets = dir.resolve(OFFSETS_MARKER);
            Files.writeString(offsets, "the consumer group starts at the shards' commits\n");
            IOUtils.fsync(offsets, false);
            Path marker = dir.resolve(DONE_MARKER);
            Files.writeString(marker, "the shard directories hold the leader's commits\n");
            IOUtils.fsync(marker, false);
            IOUtils.fsync(dir, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the consumer group must be set to the shards' commits before streaming. */
    boolean offsetsPending() {
        return Files.exists(dir.resolve(OFFSETS_MARKER));
    }

    /** The consumer group was set to the shards' commits. */
    void offsetsSet() {
        try {
            Files.deleteIfExists(dir.resolve(OFFSETS_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets a done copy: the next start bootstraps again. */
    void reset() throws IOException {
        Files.deleteIfExists(dir.resolve(DONE_MARKER));
    }

    /** Stops a running copy and waits for it; what was verified stays for the next start. */
    void stop() {
        work.stop();
    }

    /** Whether {@code t} is the copy this bootstrap runs now (not one stopped since). */
    boolean isCurrent(Thread t) {
        return work.isCurrent(t);
    }
}
