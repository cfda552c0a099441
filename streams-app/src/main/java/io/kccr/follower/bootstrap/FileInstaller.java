package io.kccr.follower.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Installs verified copies in the background: makes each durable ({@code fsync}), then gives it its final name
 * (atomic rename), so a file only ever has its final name once its bytes are on disk. An fsync waits for the
 * disk, often tens of milliseconds even for a small file; done here, several at a time, it overlaps with the
 * fetching of the next files instead of stalling it, and concurrent fsyncs share the file system's journal
 * commits. Shared by the shards of one bootstrap.
 *
 * <p>Thread-safe. {@link #close} lets the installs already handed over finish.
 */
final class FileInstaller implements AutoCloseable {
    /** fsyncs in flight at once: beyond a few, the disk does not go faster. */
    static final int THREADS = 4;

    private final ExecutorService threads;

    FileInstaller(String name) {
        this.threads = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon()
                .name("kccr-install[" + name + "]-", 0).factory());
    }

    /**
     * Makes {@code copy} durable, closes it, and renames {@code part} to {@code target}. The future completes once
     * the file has its name, or fails with the {@link IOException} that stopped it (the part file then stays, and
     * is deleted by the next attempt).
     */
    CompletableFuture<Void> install(FileChannel copy, Path part, Path target) {
        return CompletableFuture.runAsync(() -> {
            try {
                try (copy) {
                    copy.force(true);
                }
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException("could not install [" + target.getFileName() + "]: " + e.getMessage(), e);
            }
        }, threads);
    }

    @Override
    public void close() throws InterruptedException {
        threads.shutdown();
        threads.awaitTermination(1, TimeUnit.MINUTES);
    }
}
