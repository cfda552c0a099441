package io.kccr.follower.bootstrap;

import io.kccr.core.recovery.ShardSnapshot;
import io.kccr.core.recovery.StoreFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 *   <li>Each other file is fetched in chunks, several in flight, into a temporary file, computing
 *       its CRC32 as the chunks are written in order. It is installed (fsync, atomic rename) only if
 *       that CRC, its own footer checksum and the manifest's checksum agree; else it is fetched again.</li>
 *   <li>The commit point {@code segments_N} is installed last, after the directory is fsynced, so a
 *       crash never leaves a commit that names a missing or partial file. Older commit points are
 *       deleted first, so nothing but the pinned commit can ever be opened from the directory.</li>
 * </ul>
 */
final class ShardCopier {
    private static final Logger log = LoggerFactory.getLogger(ShardCopier.class);
    static final String PART_PREFIX = "recovery.part.";
    private static final int ATTEMPTS_PER_FILE = 3;

    private final RestoreSource source;
    private final String session;
    private final ShardSnapshot snapshot;
    private final Path dir;
    private final Supplier<RecoverySettings> settings;
    private final RateLimiter rateLimiter;
    private final ShardRecoveryState state;
    private final Clock clock;

    /**
     * {@code rateLimiter} is the node's, shared by every copy: its rate is set from
     * {@link RecoverySettings#maxBytesPerSec} before each chunk, so a settings change applies at once.
     */
    ShardCopier(RestoreSource source, String session, ShardSnapshot snapshot, Path dir,
                Supplier<RecoverySettings> settings, RateLimiter rateLimiter, ShardRecoveryState state, Clock clock) {
        this.source = source;
        this.session = session;
        this.snapshot = snapshot;
        this.dir = dir;
        this.settings = settings;
        this.rateLimiter = rateLimiter;
        this.state = state;
        this.clock = clock;
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
        for (StoreFile file : files) {
            if (file != commitPoint) {
                install(file);
            }
        }
        IOUtils.fsync(dir, true);
        state.stage(ShardRecoveryState.Stage.FINALIZE, clock.millis());
        install(commitPoint);
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
                fetch(file);
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

    /** Whether the directory has {@code file} already: same length and footer checksum. */
    private boolean present(StoreFile file) throws IOException {
        Path path = dir.resolve(file.name());
        if (!Files.isRegularFile(path) || Files.size(path) != file.length() || file.length() < CodecUtil.footerLength()) {
            return false;
        }
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer footer = ByteBuffer.allocate(CodecUtil.footerLength());
            readFully(in, footer, file.length() - CodecUtil.footerLength());
            return validFooter(footer, file.checksum());
        }
    }

    private void fetch(StoreFile file) throws IOException, InterruptedException {
        Path part = dir.resolve(PART_PREFIX + file.name());
        long length = file.length();
        long checksummed = Math.max(0, length - Long.BYTES); // Lucene's CRC covers all but the checksum itself
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        ArrayDeque<CompletableFuture<byte[]>> inFlight = new ArrayDeque<>();
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            long requested = 0;
            long written = 0;
            while (written < length) {
                RecoverySettings s = settings.get();
                while (inFlight.size() < s.maxConcurrentChunks() && requested < length) {
                    int n = (int) Math.min(s.chunkSizeBytes(), length - requested);
                    state.throttled(pause(n, s.maxBytesPerSec()));
                    inFlight.add(source.read(session, snapshot.shard(), file.name(), requested, n));
                    requested += n;
                }
                byte[] chunk = await(inFlight.poll());
                state.fetched(chunk.length);
                int covered = (int) Math.max(0, Math.min(chunk.length, checksummed - written));
                crc.update(chunk, 0, covered);
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                written += chunk.length;
            }
            out.force(true);
        } catch (IOException | InterruptedException | RuntimeException e) {
            inFlight.forEach(f -> f.cancel(true));
            Files.deleteIfExists(part);
            throw e;
        }
        verifyAndRename(file, part, crc.getValue());
    }

    private void verifyAndRename(StoreFile file, Path part, long crc) throws IOException {
        ByteBuffer footer = ByteBuffer.allocate(CodecUtil.footerLength());
        boolean valid = file.length() >= CodecUtil.footerLength();
        if (valid) {
            try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ)) {
                readFully(in, footer, file.length() - CodecUtil.footerLength());
            }
            valid = validFooter(footer, file.checksum()) && crc == file.checksum();
        }
        if (!valid) {
            Files.deleteIfExists(part);
            throw new CorruptCopyException("the copy of [" + file.name() + "] does not match its checksum (computed ["
                    + crc + "], manifest [" + file.checksum() + "]): a chunk was corrupted in transit");
        }
        Files.move(part, dir.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

    /** Lucene's footer: magic, algorithm 0, then the checksum, which must be {@code checksum}. */
    private static boolean validFooter(ByteBuffer footer, long checksum) {
        footer.flip();
        return footer.getInt() == CodecUtil.FOOTER_MAGIC && footer.getInt() == 0 && footer.getLong() == checksum;
    }

    private static void readFully(FileChannel in, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (in.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static byte[] await(CompletableFuture<byte[]> chunk) throws IOException, InterruptedException {
        try {
            return chunk.get();
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
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
