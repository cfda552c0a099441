package io.kccr.follower.bootstrap;

import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.StoreFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.RateLimiter;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.util.ThreadInterruptedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies one shard's pinned commit from a leader into the follower shard's directory, so that the
 * directory then holds exactly that commit (invariant 6).
 *
 * <ul>
 *   <li>Files already present with the manifest's name, length and footer checksum are kept: only
 *       verified files ever get their final name, and Lucene segment files are write-once, so such a
 *       file is the leader's (a copy resumed after a crash, or a new commit sharing segments).</li>
 *   <li>Each other file is fetched in chunks, several in flight, each streamed from the source into its
 *       place in a temporary file ({@link ChunkWriter}) with its CRC32 computed on the way; the chunks' CRCs
 *       joined in file order give the file's. It is installed (fsync, atomic rename) only if that CRC, its own
 *       footer checksum and the manifest's checksum agree; else it is fetched again. The install runs in the
 *       background ({@link FileInstaller}) while the next file is fetched.</li>
 *   <li>The commit point {@code segments_N} is installed last, once every other file is installed and the
 *       directory fsynced, so a crash never leaves a commit that names a missing or partial file. Older
 *       commit points are deleted first, so nothing but the pinned commit can ever be opened from the
 *       directory.</li>
 * </ul>
 */
final class ShardCopier {
    private static final Logger log = LoggerFactory.getLogger(ShardCopier.class);
    static final String PART_PREFIX = "recovery.part.";
    private static final int ATTEMPTS_PER_FILE = 3;
    /** Bytes gathered per positional write of a chunk. */
    static final int WRITE_BUFFER = 512 << 10;
    /** Installs a copier may have waiting before it fetches more: bounds the open files. */
    private static final int MAX_PENDING_INSTALLS = 16;

    private final RestoreSource source;
    private final String session;
    private final ShardSnapshot snapshot;
    private final Path dir;
    private final Supplier<RecoverySettings> settings;
    private final RateLimiter rateLimiter;
    private final ShardRecoveryState state;
    private final Clock clock;
    private final FileInstaller installer;
    private final Deque<ByteBuffer> buffers = new ArrayDeque<>(); // copier thread only
    private final Deque<CompletableFuture<Void>> installs = new ArrayDeque<>(); // copier thread only

    /**
     * {@code rateLimiter} is the node's, shared by every copy: its rate is set from
     * {@link RecoverySettings#maxBytesPerSec} before each chunk, so a settings change applies at once.
     * {@code installer} makes the verified files durable; the job's, shared by its shards.
     */
    ShardCopier(RestoreSource source, String session, ShardSnapshot snapshot, Path dir,
                Supplier<RecoverySettings> settings, RateLimiter rateLimiter, ShardRecoveryState state, Clock clock,
                FileInstaller installer) {
        this.source = source;
        this.session = session;
        this.snapshot = snapshot;
        this.dir = dir;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.state = state;
        this.clock = clock;
        this.installer = installer;
    }

    /** Copies the commit; on return the directory holds it and nothing else of Lucene's. */
    void copy() throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<StoreFile> files = snapshot.files();
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(f.name()));
        StoreFile commitPoint = files.stream().filter(f -> isCommitPoint(f.name())).findFirst().orElseThrow(() ->
                new IOException("the leader's manifest of shard [" + snapshot.shard() + "] names no segments_N file"));
        String keep = present(commitPoint) ? commitPoint.name() : null; // only when every other file is in place too
        deleteIf(name -> name.startsWith(PART_PREFIX) || isCommitPoint(name) && !name.equals(keep));
        state.start(clock.millis(), files.size(), files.stream().mapToLong(StoreFile::length).sum());
        try {
            for (StoreFile file : files) {
                if (file != commitPoint) {
                    install(file);
                }
            }
            awaitInstalls(0);
        } finally {
            settleInstalls(); // a failed copy keeps what was verified: its installs finish before it returns
        }
        IOUtils.fsync(dir, true);
        state.stage(ShardRecoveryState.Stage.FINALIZE, clock.millis());
        install(commitPoint);
        awaitInstalls(0);
        IOUtils.fsync(dir, true);
        deleteIf(name -> !names.contains(name) && !name.equals("write.lock"));
        state.stage(ShardRecoveryState.Stage.DONE, clock.millis());
    }

    private void install(StoreFile file) throws IOException, InterruptedException {
        if (present(file)) {
            state.reused(file.length());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                FileChannel verified = fetch(file);
                awaitInstalls(MAX_PENDING_INSTALLS - 1);
                installs.add(installer.install(verified, part(file), dir.resolve(file.name())));
                state.recovered(file.length());
                return;
            } catch (CorruptCopyException e) {
                if (attempt == ATTEMPTS_PER_FILE) {
                    throw new IOException(e.getMessage() + " (" + attempt + " attempts)", e);
                }
                log.warn("shard [{}]: {}; fetching it again", snapshot.shard(), e.getMessage());
            }
        }
    }

    /** Waits until at most {@code pending} installs are left; throws the failure of one that failed. */
    private void awaitInstalls(int pending) throws IOException, InterruptedException {
        while (installs.size() > pending) {
            await(installs.poll());
        }
    }

    /** Waits for every install handed over, whatever their outcome. */
    private void settleInstalls() {
        for (CompletableFuture<Void> install : installs) {
            try {
                install.join();
            } catch (CompletionException | CancellationException e) {
                // reported by awaitInstalls, or the copy failed already
            }
        }
        installs.clear();
    }

    /** Whether the directory has {@code file} already: same length and footer checksum. */
    private boolean present(StoreFile file) throws IOException {
        Path path = dir.resolve(file.name());
        if (!Files.isRegularFile(path) || Files.size(path) != file.length() || file.length() < CodecUtil.footerLength()) {
            return false;
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            return validFooter(in, file);
        }
    }

    private Path part(StoreFile file) {
        return dir.resolve(PART_PREFIX + file.name());
    }

    /** A chunk asked for: where its bytes go, and the read that streams them there. */
    private record Chunk(ChunkWriter writer, CompletableFuture<Void> read) {
    }

    /**
     * Fetches {@code file} into its part file and verifies it.
     *
     * @return the part file, open, written and verified but not yet durable
     * @throws CorruptCopyException when what arrived does not match the manifest's checksum (the part file is gone)
     */
    private FileChannel fetch(StoreFile file) throws IOException, InterruptedException {
        Path part = part(file);
        long length = file.length();
        long checksummed = Math.max(0, length - Long.BYTES); // Lucene's CRC covers all but the checksum itself
        List<Chunk> chunks = new ArrayList<>();
        BlockingQueue<Chunk> completed = new LinkedBlockingQueue<>();
        FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            long requested = 0;
            int inFlight = 0;
            while (requested < length || inFlight > 0) {
                RecoverySettings s = settings.get();
                while (inFlight < s.maxConcurrentChunks() && requested < length) {
                    int n = (int) Math.min(s.chunkSizeBytes(), length - requested);
                    state.throttled(pause(n, s.maxBytesPerSec()));
                    ChunkWriter writer = new ChunkWriter(out, requested, n, checksummed, buffer(), state);
                    Chunk chunk = new Chunk(writer, source.read(session, snapshot.shard(), file.name(), requested, n,
                            writer));
                    chunk.read().whenComplete((done, failure) -> completed.add(chunk));
                    chunks.add(chunk);
                    inFlight++;
                    requested += n;
                }
                Chunk chunk = completed.take();
                inFlight--;
                await(chunk.read());
                chunk.writer().finish();
                buffers.push(chunk.writer().staging());
            }
            long crc = 0;
            for (Chunk chunk : chunks) {
                crc = Crc32Combine.combine(crc, chunk.writer().checksum(), chunk.writer().checksummedLength());
            }
            if (length < CodecUtil.footerLength() || !validFooter(out, file) || crc != file.checksum()) {
                throw new CorruptCopyException("the copy of [" + file.name() + "] does not match its checksum"
                        + " (computed [" + crc + "], manifest [" + file.checksum() + "]): a chunk was corrupted in"
                        + " transit");
            }
            return out;
        } catch (IOException | InterruptedException | RuntimeException e) {
            // a read still streaming writes into the closed channel and fails; its buffer is not reused
            chunks.forEach(c -> c.read().cancel(true));
            out.close();
            Files.deleteIfExists(part);
            throw e;
        }
    }

    /** A gathering buffer: one a finished chunk gave back, or a new one. */
    private ByteBuffer buffer() {
        ByteBuffer b = buffers.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(WRITE_BUFFER);
    }

    /**
     * Waits until the node's rate allows {@code bytes} more at {@code bytesPerSec} (0: no limit).
     *
     * @return how long it waited, in nanoseconds
     */
    private long pause(long bytes, long bytesPerSec) throws IOException, InterruptedException {
        if (bytesPerSec <= 0) {
            return 0;
        }
        double mbPerSec = bytesPerSec / (1024.0 * 1024.0);
        if (rateLimiter.getMBPerSec() != mbPerSec) {
            rateLimiter.setMBPerSec(mbPerSec); // every copier sets the same node-wide value
        }
        try {
            return rateLimiter.pause(bytes);
        } catch (ThreadInterruptedException e) {
            InterruptedException interrupted = new InterruptedException("interrupted while throttled");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /** Lucene's footer: magic, algorithm 0, then the checksum, which must be the manifest's. */
    private static boolean validFooter(FileChannel in, StoreFile file) throws IOException {
        ByteBuffer footer = ByteBuffer.allocate(CodecUtil.footerLength());
        long position = file.length() - CodecUtil.footerLength();
        while (footer.hasRemaining()) {
            if (in.read(footer, position + footer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        footer.flip();
        return footer.getInt() == CodecUtil.FOOTER_MAGIC && footer.getInt() == 0 && footer.getLong() == file.checksum();
    }

    private static void await(CompletableFuture<Void> future) throws IOException, InterruptedException {
        try {
            future.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new java.io.InterruptedIOException("the copy was cancelled");
        }
    }

    private static boolean isCommitPoint(String name) {
        return name.startsWith("segments_") || name.startsWith("pending_segments_");
    }

    private void deleteIf(java.util.function.Predicate<String> condition) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.toList()) {
                if (condition.test(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A fetched file failed verification. */
    private static final class CorruptCopyException extends IOException {
        CorruptCopyException(String message) {
            super(message);
        }
    }
}
