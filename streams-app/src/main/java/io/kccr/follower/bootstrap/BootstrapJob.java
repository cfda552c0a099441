package io.kccr.follower.bootstrap;

import io.kccr.core.recovery.RestoreManifest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.lucene.store.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote recovery of a follower index (invariant 6): opens a restore session on the leader, which
 * pins a commit of every shard, copies each shard's commit into the follower's shard directory
 * ({@code shardsDir/<n>}, shards in parallel, see {@link ShardCopier}), and releases the session.
 * When {@link #run} returns, every shard directory holds exactly its pinned commit, whose user data
 * says where streaming takes over ({@code kafka_next_offset}, {@code max_seq_no}).
 *
 * <p>The job owns its {@link RestoreSource}: it closes it when {@link #run} returns.
 *
 * <p>Resumable: files verified by an earlier attempt, in this process or a killed one, are kept. A
 * session that expires or is released under the copy is replaced by a new one; files of the new
 * commit that are identical (Lucene segment files are write-once) are kept too.
 */
public final class BootstrapJob {
    private static final Logger log = LoggerFactory.getLogger(BootstrapJob.class);
    private static final int SESSION_ATTEMPTS = 5;

    private final RestoreSource source;
    private final String leaderIndex;
    private final Path shardsDir;
    private final Supplier<RecoverySettings> settings;
    private final RateLimiter rateLimiter;
    private final Clock clock;
    private final int leaderShards;
    private final List<ShardRecoveryState> states;

    /**
     * {@code rateLimiter} paces every chunk to {@link RecoverySettings#maxBytesPerSec}: the node's one
     * limiter, shared by every bootstrap (each copy sets its rate from the settings before a chunk).
     */
    public BootstrapJob(RestoreSource source, String leaderIndex, Path shardsDir, int shards,
                        Supplier<RecoverySettings> settings, RateLimiter rateLimiter, Clock clock) {
        this(source, leaderIndex, shardsDir, shards, java.util.stream.IntStream.range(0, shards).boxed().toList(),
                settings, rateLimiter, clock);
    }

    /**
     * A bootstrap of shards {@code held} only, of a leader with {@code leaderShards} shards (a follower's part of an
     * index whose shards are spread over the nodes of a cluster): the other shards' files are not copied.
     */
    public BootstrapJob(RestoreSource source, String leaderIndex, Path shardsDir, int leaderShards, List<Integer> held,
                        Supplier<RecoverySettings> settings, RateLimiter rateLimiter, Clock clock) {
        this.source = source;
        this.leaderShards = leaderShards;
        this.leaderIndex = leaderIndex;
        this.shardsDir = shardsDir;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.clock = clock;
        List<ShardRecoveryState> s = new ArrayList<>();
        for (int i : held) {
            s.add(new ShardRecoveryState(i));
        }
        this.states = List.copyOf(s);
    }

    /** Each shard's progress, in shard order (the shards it copies); live while the job runs. */
    public List<ShardRecoveryState> states() {
        return states;
    }

    /**
     * Copies the leader's commits; blocks until done.
     *
     * @return the manifest of the session whose commits are now installed
     * @throws InterruptedIOException if interrupted (pause, close): what was verified stays for the next run
     */
    public RestoreManifest run() throws IOException, InterruptedException {
        try {
            return copy();
        } finally {
            source.close(); // a job runs once: the next attempt is a new job with a source of its own
        }
    }

    private RestoreManifest copy() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            RestoreManifest manifest = source.open(leaderIndex);
            String peer = source.peer();
            states.forEach(state -> state.peer(peer));
            if (manifest.numberOfShards() != leaderShards) {
                source.release(manifest.sessionUuid());
                throw new IOException("leader index [" + leaderIndex + "] has " + manifest.numberOfShards()
                        + " shards but this follower has " + leaderShards + "; the leader was recreated: delete the"
                        + " follower and follow it again");
            }
            for (ShardRecoveryState state : states) {
                if (manifest.shard(state.shard()) == null) {
                    source.release(manifest.sessionUuid());
                    throw new IOException("the restore session of [" + leaderIndex + "] (from " + (peer == null
                            ? "the leader" : "node [" + peer + "]") + ") holds no copy of shard [" + state.shard()
                            + "]; retry once that shard is there again");
                }
            }
            try {
                copyShards(manifest);
                return manifest;
            } catch (RestoreSource.SessionGoneException e) {
                if (attempt == SESSION_ATTEMPTS) {
                    throw e;
                }
                log.info("bootstrap of [{}]: {}; opening a new session", leaderIndex, e.getMessage());
            } finally {
                source.release(manifest.sessionUuid());
            }
        }
    }

    private void copyShards(RestoreManifest manifest) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(states.size(), Thread.ofPlatform().daemon()
                .name("kccr-bootstrap[" + leaderIndex + "]-", 0).factory());
        FileInstaller installer = new FileInstaller(leaderIndex);
        try {
            List<Future<Void>> copies = new ArrayList<>();
            for (ShardRecoveryState state : states) {
                ShardCopier copier = new ShardCopier(source, manifest.sessionUuid(), manifest.shard(state.shard()),
                        shardsDir.resolve(Integer.toString(state.shard())), settings, rateLimiter, state, clock,
                        installer);
                copies.add(pool.submit(() -> {
                    copier.copy();
                    return null;
                }));
            }
            for (Future<Void> copy : copies) {
                try {
                    copy.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof InterruptedException ie) {
                        throw ie;
                    }
                    throw new IOException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow(); // interrupts the other shards' copies when one failed
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES); // a copier stops at once, after its installs
            } finally {
                installer.close();
            }
        }
    }
}
