package io.kccr.leader.recovery;

import io.kccr.core.error.KccrException;
import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.StoreFile;
import io.kccr.leader.LeaderIndex;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.lucene.index.IndexCommit;

/**
 * One open restore session: a pinned commit per shard of one leader index, and the files they list.
 *
 * <p>Thread-safe. Opening a file and {@link #release} are serialized, so a file is either opened
 * while its commit is pinned (and stays readable through its channel) or refused as released.
 * Activity is counted from the last request; a file being read counts as activity until closed.
 */
final class RestoreSession {
    private final String uuid;
    private final LeaderIndex index;
    private final List<IndexCommit> commits;
    private final List<ShardSnapshot> snapshots;
    private final Clock clock;
    private volatile long lastActivity;
    private int reading; // guarded by this
    private boolean released; // guarded by this

    RestoreSession(String uuid, LeaderIndex index, List<IndexCommit> commits, List<ShardSnapshot> snapshots,
                   Clock clock) {
        this.uuid = uuid;
        this.index = index;
        this.commits = List.copyOf(commits);
        this.snapshots = List.copyOf(snapshots);
        this.clock = clock;
        this.lastActivity = clock.millis();
    }

    String uuid() {
        return uuid;
    }

    LeaderIndex index() {
        return index;
    }

    /**
     * Opens {@code name} of shard {@code shard} for reading; counts as activity.
     *
     * @return null when the session was released meanwhile
     * @throws KccrException 400 for a malformed name, 404 for a shard or a file the session does not have
     */
    synchronized RestoreFile open(int shard, String name) throws IOException {
        if (released) {
            return null;
        }
        lastActivity = clock.millis();
        if (shard < 0 || shard >= snapshots.size()) {
            throw RestoreErrors.notFound("shard [" + shard + "] is not in restore session [" + uuid + "] of index ["
                    + index.name() + "], which has shards 0 to " + (snapshots.size() - 1));
        }
        Path dir = index.shards().get(shard).path();
        Path path = RestoreFileNames.resolve(dir, name);
        StoreFile file = snapshots.get(shard).file(name);
        if (file == null) {
            throw RestoreErrors.notFound("file [" + name + "] is not in shard [" + shard + "] of restore session ["
                    + uuid + "]; request only the files its manifest lists");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("file [" + name + "] of shard [" + shard + "] pinned by restore session ["
                    + uuid + "] is missing from " + dir, e);
        }
        reading++;
        return new RestoreFile(this, name, file.length(), channel);
    }

    synchronized void readDone() {
        reading--;
        lastActivity = clock.millis();
    }

    /** True when no request came for {@code timeout} and no file is being read. */
    synchronized boolean idleFor(Duration timeout) {
        return reading == 0 && clock.millis() - lastActivity >= timeout.toMillis();
    }

    /**
     * Unpins every commit, once; files no other commit needs are deleted at once. Files being read
     * stay readable through their open channels.
     */
    synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        for (int i = 0; i < commits.size(); i++) {
            try {
                index.shards().get(i).releaseCommit(commits.get(i));
            } catch (IOException | RuntimeException e) {
                // the pin is dropped; files left behind go with the next commit or the next open
            }
        }
    }
}
