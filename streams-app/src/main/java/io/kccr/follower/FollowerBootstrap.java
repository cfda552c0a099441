package io.kccr.follower;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.io.StateFile;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.bootstrap.BootstrapJob;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A follower's remote recovery, run in the background before it first streams: the shard
 * directories are filled by a {@link BootstrapJob}, then a marker file ({@value #MARKER}) records
 * that they hold the leader's commits, so a restart streams on from them instead of copying again.
 * Until the marker exists, every start bootstraps (again), reusing the files already verified.
 *
 * <p>Used under the follower's lock.
 */
final class FollowerBootstrap {
    static final String MARKER = "bootstrap.json";
    /** An earlier version's markers: the copy is done; the group must still start at the commits' offsets. */
    static final String LEGACY_DONE_MARKER = "bootstrapped";
    static final String LEGACY_OFFSETS_MARKER = "offsets-from-commits";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where a done copy stands in handing over to the consumer group. */
    enum HandOff {
        /** The group must start at the shards' commits, whatever it committed before (a follower recreated). */
        @JsonProperty("offsets_from_commits") OFFSETS_FROM_COMMITS,
        /** The group was set to the commits' offsets; it goes on from what it commits. */
        @JsonProperty("group_set") GROUP_SET
    }

    /** The content of {@value #MARKER}: the shard directories hold the leader's commits. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Marker(HandOff handOff) {
        Marker {
            Objects.requireNonNull(handOff, "handOff");
        }
    }

    private final Path dir;
    private final Function<Path, BootstrapJob> jobs;
    private volatile List<ShardRecoveryState> states = List.of();
    private final BackgroundWork work;

    /** {@code jobs} makes the job for a shards directory; null for a follower that never bootstraps. */
    FollowerBootstrap(Path dir, Function<Path, BootstrapJob> jobs) {
        this(dir, jobs, Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory()));
    }

    /** As {@link #FollowerBootstrap(Path, Function)}; copies run on {@code executor}, which bounds how many run at once. */
    FollowerBootstrap(Path dir, Function<Path, BootstrapJob> jobs, Executor executor) {
        this.dir = dir;
        this.jobs = jobs;
        this.work = new BackgroundWork("bootstrap", true, executor);
    }

    /** Whether the shard directories hold the leader's commits (or this follower replays from offset 0). */
    boolean done() {
        return jobs == null || marker() != null;
    }

    /** The marker, or the one an earlier version's marker files stand for; null while no copy is done. */
    Marker marker() {
        Path file = dir.resolve(MARKER);
        try {
            if (Files.exists(file)) {
                return JSON.readValue(file.toFile(), Marker.class);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable bootstrap marker " + file + ": delete it and resume the follower"
                    + " to copy the leader's files again (those in place are verified and kept)", e);
        }
        if (!Files.exists(dir.resolve(LEGACY_DONE_MARKER))) {
            return null;
        }
        return new Marker(Files.exists(dir.resolve(LEGACY_OFFSETS_MARKER)) ? HandOff.OFFSETS_FROM_COMMITS
                : HandOff.GROUP_SET);
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
        write(new Marker(HandOff.OFFSETS_FROM_COMMITS));
    }

    /** Whether the consumer group must be set to the shards' commits before streaming. */
    boolean offsetsPending() {
        Marker m = marker();
        return m != null && m.handOff() == HandOff.OFFSETS_FROM_COMMITS;
    }

    /** The consumer group was set to the shards' commits. */
    void offsetsSet() {
        if (offsetsPending()) {
            write(new Marker(HandOff.GROUP_SET));
        }
    }

    /** Forgets a done copy: the next start bootstraps again. */
    void reset() throws IOException {
        StateFile.delete(dir.resolve(MARKER));
        deleteLegacyMarkers();
    }

    /** Replaces the marker (crash-safe), then drops an earlier version's, which it supersedes. */
    private void write(Marker marker) {
        try {
            StateFile.write(dir.resolve(MARKER), JSON.writeValueAsBytes(marker));
            deleteLegacyMarkers();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void deleteLegacyMarkers() throws IOException {
        StateFile.delete(dir.resolve(LEGACY_DONE_MARKER));
        StateFile.delete(dir.resolve(LEGACY_OFFSETS_MARKER));
    }

    /** Stops a running copy and waits for it; what was verified stays for the next start. */
    void stop() {
        work.stop();
    }

    /** What stops a follower whose copy failed with {@code e}: retried by resume_follow, keeping the files. */
    static FollowerFailure failure(String leaderIndex, String follower, Exception e) {
        return new FollowerFailure("exception", "bootstrap from leader index [" + leaderIndex + "] failed: "
                + e.getMessage() + ". Files already copied are kept: resume with POST /" + follower
                + "/_ccr/resume_follow once the leader is reachable");
    }

    /** A failure when the copied commits are of another history than the leader's now (it was recreated). */
    static FollowerFailure checkHistory(RestoreManifest copied, IndexMetadata leader, String leaderIndex) {
        if (copied.historyUuid().equals(leader.historyUuid())) {
            return null;
        }
        return new FollowerFailure("illegal_state_exception", "the leader index [" + leaderIndex + "] was recreated"
                + " during the bootstrap (history_uuid [" + copied.historyUuid() + "], expected ["
                + leader.historyUuid() + "]): delete this follower and follow the leader again");
    }

    /** Whether {@code t} is the copy this bootstrap runs now (not one stopped since). */
    boolean isCurrent(Thread t) {
        return work.isCurrent(t);
    }
}
