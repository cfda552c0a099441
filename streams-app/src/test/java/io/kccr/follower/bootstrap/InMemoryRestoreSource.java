package io.kccr.follower.bootstrap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.core.recovery.ShardSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.store.FSDirectory;

/**
 * A leader's restore sessions held in memory: the pinned commits are real Lucene commits read from
 * disk once, served as byte ranges. Chunks complete on another thread, as they would over HTTP. Tests
 * can corrupt chunks, fail reads, make sessions expire, and look at every read and at the follower's
 * directory as each read is asked for.
 */
final class InMemoryRestoreSource implements RestoreSource {

    /** One read as the copier asked for it. */
    record Read(String session, int shard, String file, long from, int length) {
    }

    private final String index;
    private final List<ShardSnapshot> shards = new ArrayList<>();
    private final List<Map<String, byte[]>> files = new ArrayList<>();
    private final Executor executor = ForkJoinPool.commonPool();
    private final List<Read> reads = new ArrayList<>();
    private final List<String> opened = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> corruptions = new HashMap<>();
    private Predicate<Read> failing = r -> false;
    private int readsBeforeExpiry = -1;
    private Consumer<Read> listener = r -> { };

    /** Serves the last commit of each of {@code shardDirs}, shard 0 first. */
    InMemoryRestoreSource(String index, List<Path> shardDirs) throws IOException {
        this.index = index;
        for (int shard = 0; shard < shardDirs.size(); shard++) {
            try (FSDirectory dir = FSDirectory.open(shardDirs.get(shard))) {
                IndexCommit commit = DirectoryReader.listCommits(dir).getLast();
                ShardSnapshot snapshot = ShardSnapshot.of(shard, commit);
                Map<String, byte[]> bytes = new HashMap<>();
                for (String name : commit.getFileNames()) {
                    bytes.put(name, Files.readAllBytes(shardDirs.get(shard).resolve(name)));
                }
                shards.add(snapshot);
                files.add(bytes);
            }
        }
    }

    ShardSnapshot snapshot(int shard) {
        return shards.get(shard);
    }

    byte[] bytes(int shard, String file) {
        return files.get(shard).get(file).clone();
    }

    /** Flips one bit in each of the next {@code times} chunks of {@code file} served. */
    synchronized InMemoryRestoreSource corrupt(String file, int times) {
        corruptions.put(file, times);
        return this;
    }

    /** Reads matching {@code condition} fail with an IOException. */
    synchronized InMemoryRestoreSource failing(Predicate<Read> condition) {
        this.failing = condition;
        return this;
    }

    /** The session open now expires once it served {@code reads} more reads, as a leader's idle timeout would. */
    synchronized InMemoryRestoreSource expireAfter(int reads) {
        this.readsBeforeExpiry = reads;
        return this;
    }

    /** Calls {@code listener} as each read is asked for, before it is served (e.g. to look at the follower's files). */
    synchronized InMemoryRestoreSource onRead(Consumer<Read> listener) {
        this.listener = listener;
        return this;
    }

    /** Opens a session directly, for tests that drive a {@link ShardCopier} without a {@link BootstrapJob}. */
    String openSession() {
        return open(index).sessionUuid();
    }

    @Override
    public synchronized RestoreManifest open(String leaderIndex) {
        if (!leaderIndex.equals(index)) {
            throw new IllegalArgumentException("no leader index [" + leaderIndex + "]");
        }
        String session = "session-" + (opened.size() + 1);
        opened.add(session);
        live.add(session);
        return new RestoreManifest(session, index, JsonNodeFactory.instance.objectNode(), shards);
    }

    @Override
    public CompletableFuture<Void> read(String session, int shard, String file, long from, int length,
                                        ChunkSink sink) {
        Read read = new Read(session, shard, file, from, length);
        boolean corrupt;
        synchronized (this) {
            reads.add(read);
            listener.accept(read);
            if (readsBeforeExpiry == 0) {
                live.remove(session);
                readsBeforeExpiry = -1;
            } else if (readsBeforeExpiry > 0) {
                readsBeforeExpiry--;
            }
            if (!live.contains(session)) {
                return CompletableFuture.failedFuture(new SessionGoneException("restore session [" + session
                        + "] is gone"));
            }
            if (failing.test(read)) {
                return CompletableFuture.failedFuture(new IOException("connection reset reading [" + file + "]"));
            }
            int left = corruptions.getOrDefault(file, 0);
            corrupt = left > 0;
            if (corrupt) {
                corruptions.put(file, left - 1);
            }
        }
        byte[] all = files.get(shard).get(file);
        return CompletableFuture.runAsync(() -> {
            byte[] chunk = new byte[length];
            System.arraycopy(all, (int) from, chunk, 0, length);
            if (corrupt) {
                chunk[length / 2] ^= 0x10;
            }
            // in pieces of uneven sizes, as a socket hands them over
            try {
                for (int at = 0, piece = 1; at < length; piece = piece * 3 + 7) {
                    int n = Math.min(piece, length - at);
                    sink.accept(ByteBuffer.wrap(chunk, at, n));
                    at += n;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
    }

    @Override
    public synchronized void release(String session) {
        released.add(session);
        live.remove(session);
    }

    synchronized List<Read> reads() {
        return List.copyOf(reads);
    }

    /** The names of the files of {@code shard} that were read at least once. */
    synchronized Set<String> filesRead(int shard) {
        Set<String> names = new HashSet<>();
        reads.stream().filter(r -> r.shard() == shard).forEach(r -> names.add(r.file()));
        return names;
    }

    synchronized List<String> opened() {
        return List.copyOf(opened);
    }

    synchronized List<String> released() {
        return List.copyOf(released);
    }
}
