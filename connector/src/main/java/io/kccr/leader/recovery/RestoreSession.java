package io.kccr.leader.recovery;

import io.kccr.core.error.KccrException;
import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.StoreFile;
import io.kccr.core.recovery.RestorableIndex;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import org.apache.lucene.index.IndexCommit;

/**
 * One open restore session: a pinned commit per shard of one index (a leader's, or a follower copy a peer copies),
 * and the files they list.
 *
 * <p>Thread-safe. Opening a file and {@link #release} are serialized, so a file is either opened
 * while its commit is pinned (and stays readable through its channel) or refused as released.
 * Activity is counted from the last request; a file being read counts as activity until closed.
 */
final class RestoreSession {
    private final String uuid;
    private final RestorableIndex index;
    private final java.util.SortedMap<Integer, Pinned> pinned;
    private final Clock clock;
    private volatile long lastActivity;
    private int reading; // guarded by this
    private boolean released; // guarded by this

    /** A shard's commit the session pins, on the copy it was pinned on, and what the manifest says of it. */
    record Pinned(LuceneShard copy, IndexCommit commit, ShardSnapshot snapshot) {
    }

    RestoreSession(String uuid, RestorableIndex index, java.util.SortedMap<Integer, Pinned> pinned, Clock clock) {
        this.uuid = uuid;
        this.index = index;
        this.pinned = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(pinned));
        this.clock = clock;
        this.lastActivity = clock.millis();
    }

    String uuid() {
        return uuid;
    }

    RestorableIndex index() {
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
        Pinned p = pinned.get(shard);
        if (p == null) {
            throw RestoreErrors.notFound("shard [" + shard + "] is not in restore session [" + uuid + "] of index ["
                    + index.name() + "], which has shards " + pinned.keySet());
        }
        Path dir = p.copy().path();
        Path path = RestoreFileNames.resolve(dir, name);
        StoreFile file = p.snapshot().file(name);
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

    synchronized void touch() {
        lastActivity = clock.millis();
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
        for (Pinned p : pinned.values()) {
            try {
                p.copy().releaseCommit(p.commit());
            } catch (IOException | RuntimeException e) {
                // the pin is dropped; files left behind go with the next commit or the next open
            }
        }
    }
}
