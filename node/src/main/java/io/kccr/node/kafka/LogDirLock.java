package io.kccr.node.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exclusive ownership of an {@link EmbeddedKafka} data directory, held from before formatting until after
 * shutdown. Kafka locks its log dirs itself ({@code .lock}), but in combined mode with the metadata log inside a log
 * dir, the KRaft controller starts, and writes to the metadata log, before the broker takes that lock: a second
 * broker on the same directory would first write to the first one's metadata log and only then fail. So a broker
 * holds this lock ({@value #FILE_NAME} in the directory) for its whole life, and {@link #acquire} probes Kafka's own
 * lock (held by a Kafka process not started through {@link EmbeddedKafka}) before anything is written.
 *
 * <p>Directories in use in this JVM are refused from a registry <em>before</em> any file is opened: on Linux,
 * closing any channel on a file drops every POSIX lock this process holds on it, so merely probing a lock held in
 * this JVM would silently release it.
 *
 * <p>Thread-safe. {@link #release()} is called once, by the owner.
 */
final class LogDirLock {

    /** The lock file in the directory, beside Kafka's own {@code .lock}. */
    static final String FILE_NAME = "embedded-kafka.lock";

    /** Real paths of the directories locked and not yet released in this JVM. */
    private static final Set<Path> IN_USE = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final FileChannel channel;

    private LogDirLock(Path dir, FileChannel channel) {
        this.dir = dir;
        this.channel = channel;
    }

    /**
     * Locks {@code dir} (which must exist).
     *
     * @throws IllegalStateException when another {@link EmbeddedKafka} in this JVM, another process, or another
     *                               Kafka broker uses it
     * @throws UncheckedIOException  when its real path cannot be resolved or its lock file cannot be opened
     */
    static LogDirLock acquire(Path dir) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve Kafka log dir " + dir, e);
        }
        if (!IN_USE.add(key)) {
            throw new IllegalStateException("Kafka log dir " + dir + " is in use by another EmbeddedKafka in this JVM");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (tryLock(channel) == null) {
                throw new IllegalStateException("Kafka log dir " + dir + " is in use by another process");
            }
            Path kafkaLock = key.resolve(".lock");
            if (Files.exists(kafkaLock)) {
                try (FileChannel probe = FileChannel.open(kafkaLock, StandardOpenOption.WRITE)) {
                    FileLock probed = tryLock(probe);
                    if (probed == null) {
                        throw new IllegalStateException("Kafka log dir " + dir + " is in use by another Kafka broker");
                    }
                    probed.release();
                }
            }
            return new LogDirLock(key, channel);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(channel);
            IN_USE.remove(key);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot lock Kafka log dir " + dir, io);
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e;
        }
    }

    /** Releases the file lock and the directory's entry in this JVM's registry. */
    void release() {
        try {
            closeQuietly(channel); // releases the file lock
        } finally {
            IN_USE.remove(dir);
        }
    }

    /** {@code tryLock}, with "held in this JVM" reported as null like "held by another process". */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing useful to do
            }
        }
    }
}
