package io.kccr.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.lucene.util.IOUtils;

/**
 * The limit of a bootstrap: the operating system copying the same shard directories, {@code cp -r} then one
 * {@code sync} (every byte on disk, as a bootstrap's fsyncs make it), either one shard after the other (the first
 * round's baseline) or one {@code cp} per shard at a time up to the cores, as a bootstrap copies its shards.
 */
final class CopyBaseline {
    private CopyBaseline() {
    }

    /** A copy: how many bytes {@code cp} copied, with how many processes at a time, and how long it took with {@code sync}. */
    record Copy(long copiedBytes, int processes, long nanos) {
        String describe() {
            return processes == 1 ? "cp -r + sync, one shard after the other"
                    : "cp -r + sync, " + processes + " cp at a time";
        }

        double mbPerSecond(long bytes) {
            return bytes / (double) (1 << 20) / (nanos / 1e9);
        }
    }

    /**
     * Copies each of {@code shardDirs} to {@code dest/<n>} with {@code cp -r}, {@code processes} at a time, then
     * runs {@code sync}; deletes the copy.
     */
    static Copy copy(List<Path> shardDirs, Path dest, int processes) throws Exception {
        int parallel = Math.max(1, Math.min(processes, shardDirs.size()));
        Files.createDirectories(dest);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        AtomicInteger next = new AtomicInteger();
        try {
            long start = System.nanoTime();
            List<Future<?>> copies = new ArrayList<>();
            for (int p = 0; p < parallel; p++) {
                copies.add(pool.submit(() -> {
                    for (int s = next.getAndIncrement(); s < shardDirs.size(); s = next.getAndIncrement()) {
                        exec("cp", "-r", shardDirs.get(s).toString(), dest.resolve(Integer.toString(s)).toString());
                    }
                    return null;
                }));
            }
            for (Future<?> f : copies) {
                f.get();
            }
            exec("sync");
            long nanos = System.nanoTime() - start;
            return new Copy(directorySize(dest), parallel, nanos);
        } finally {
            pool.shutdown();
            IOUtils.rm(dest);
        }
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed with " + p.exitValue() + ": " + output);
        }
    }

    /** Bytes of the regular files under {@code root}; files deleted while it walks are skipped. */
    static long directorySize(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException deletedMeanwhile) {
                    return 0;
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException deletedMeanwhile) {
            return directorySize(root);
        }
    }
}
