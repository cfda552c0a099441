package io.kccr.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.lucene.util.IOUtils;

/**
 * The one way a small state file is written: the bytes go to {@code <name>.tmp}, which is fsynced,
 * renamed atomically over the file, and the directory is fsynced, so that after a crash the file
 * holds either its old or its new content, never a part, and the rename itself is durable (as
 * Kafka Streams' {@code OffsetCheckpoint} and Lucene's commit do it).
 *
 * <p>Stateless and thread-safe; callers serialize writes of the same file.
 */
public final class StateFile {
    private StateFile() {
    }

    /** Replaces {@code file}'s content with {@code bytes}, crash-safe; creates the parent directories. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, bytes, false);
    }

    /**
     * As {@link #write(Path, byte[])}; with {@code ownerOnly} the file is readable by its owner alone
     * (where the file system has POSIX permissions), before any byte is written: for files that may
     * hold credentials.
     */
    public static void write(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                if (ownerOnly) {
                    ownerOnly(tmp);
                }
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of [" + file + "] cannot rename atomically", e);
            }
            IOUtils.fsync(dir, true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Deletes {@code file}, if it exists, durably (the directory is fsynced). */
    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            IOUtils.fsync(file.toAbsolutePath().getParent(), true);
        }
    }

    private static void ownerOnly(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own access control applies
        }
    }
}
