package io.kccr.bench;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.routing.ShardRouting;
import io.kccr.node.sample.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The limit the benchmarks compare against: GeoNames documents mapped with the same
 * {@link DocumentMapper} and sample mappings as a node's shards, written by {@link IndexWriter}s
 * configured as a shard's (64 MB buffer, no merging on refresh or commit) into fresh on-disk indexes, commit
 * included.
 *
 * <p>Two baselines: one writer on one thread (the first round's figure), and one writer per shard
 * with one thread per shard up to the machine's cores ({@link #parallel}), documents routed to shards
 * as a node routes them. The second is the limit for a side that applies with one thread per shard; with a
 * refresh interval it also opens a near-real-time reader of every writer on that interval, the work a side does
 * that makes what it indexed searchable each second (a follower's {@code index.refresh_interval}).
 * Each run also reports the CPU time the process spent, so a side's cost per document can be compared
 * with the baseline's even on a machine other work shares.
 */
final class RawLucene {
    /** Documents a thread takes at a time when there are fewer threads than shards. */
    private static final int SLICE = 1024;

    private RawLucene() {
    }

    /** What a baseline run did: docs/s, the shards and threads it used, and the CPU time the process spent. */
    record Run(double docsPerSecond, int shards, int threads, long cpuNanos, int docs) {
        String describe() {
            return shards + " IndexWriter" + (shards == 1 ? "" : "s") + " on " + threads + " thread"
                    + (threads == 1 ? "" : "s");
        }

        /** Process CPU seconds per million documents (every thread of the JVM, the JIT and the GC included). */
        double cpuSecondsPerMillion() {
            return cpuNanos / 1e9 / docs * 1e6;
        }
    }

    /**
     * Indexes {@code corpus} at the parallelism of an index of {@code shards} shards: one writer per shard in
     * {@code dir/<shard>}, documents routed by id as a node routes them, one thread per shard up to the
     * available cores, every writer committed. With a thread per shard, each thread writes its shard's
     * documents; with fewer threads than shards, the threads take slices of the corpus in turn and write
     * each document to its shard's writer, so every core stays busy to the end (a thread owning two shards
     * would leave the other idle for half the run).
     */
    static Run parallel(Corpus corpus, Path dir, int shards) throws IOException {
        return parallel(corpus, dir, shards, null);
    }

    /**
     * As {@link #parallel(Corpus, Path, int)}, and with {@code refreshEvery} (null: never) a near-real-time reader
     * of every writer is opened on that interval while indexing goes on, as a shard's scheduled refresh does.
     */
    static Run parallel(Corpus corpus, Path dir, int shards, Duration refreshEvery) throws IOException {
        int threads = Math.max(1, Math.min(shards, Runtime.getRuntime().availableProcessors()));
        Mappings mappings = SampleData.mappings();
        short[] shardOf = new short[corpus.size()];
        for (int i = 0; i < corpus.size(); i++) {
            shardOf[i] = (short) ShardRouting.shardFor(corpus.id(i), shards);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<FSDirectory> directories = new ArrayList<>();
        List<IndexWriter> writers = new ArrayList<>();
        Refresher refresher = null;
        long cpu = Machine.processCpuNanos();
        long start = System.nanoTime();
        try {
            for (int s = 0; s < shards; s++) {
                FSDirectory directory = FSDirectory.open(dir.resolve(Integer.toString(s)));
                directories.add(directory);
                writers.add(new IndexWriter(directory, new IndexWriterConfig(DocumentMapper.analyzer())
                        .setRAMBufferSizeMB(64).setMaxFullFlushMergeWaitMillis(0)));
            }
            if (refreshEvery != null) {
                refresher = new Refresher(writers, refreshEvery);
            }
            List<Future<?>> work = new ArrayList<>();
            if (threads == shards) {
                for (int s = 0; s < shards; s++) {
                    int shard = s;
                    work.add(pool.submit(() -> {
                        DocumentMapper mapper = new DocumentMapper();
                        for (int i = 0; i < corpus.size(); i++) {
                            if (shardOf[i] == shard) {
                                index(mapper, corpus, i, writers.get(shard), mappings);
                            }
                        }
                        return null;
                    }));
                }
            } else {
                AtomicInteger next = new AtomicInteger();
                for (int t = 0; t < threads; t++) {
                    work.add(pool.submit(() -> {
                        DocumentMapper mapper = new DocumentMapper();
                        for (int from = next.getAndAdd(SLICE); from < corpus.size(); from = next.getAndAdd(SLICE)) {
                            for (int i = from; i < Math.min(corpus.size(), from + SLICE); i++) {
                                index(mapper, corpus, i, writers.get(shardOf[i]), mappings);
                            }
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> f : work) {
                f.get();
            }
            if (refresher != null) {
                refresher.close();
            }
            List<Future<?>> commits = new ArrayList<>();
            for (IndexWriter writer : writers) {
                commits.add(pool.submit(() -> {
                    writer.commit();
                    return null;
                }));
            }
            for (Future<?> f : commits) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } finally {
            pool.shutdown();
            if (refresher != null) {
                refresher.close();
            }
            org.apache.lucene.util.IOUtils.close(writers);
            org.apache.lucene.util.IOUtils.close(directories);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(corpus.size() / seconds, shards, threads, Machine.processCpuNanos() - cpu, corpus.size());
    }

    private static void index(DocumentMapper mapper, Corpus corpus, int i, IndexWriter writer, Mappings mappings)
            throws IOException {
        ParsedDocument doc = mapper.parse(corpus.id(i), corpus.source(i), mappings);
        writer.addDocument(doc.toLuceneDocument(i, 1, 1));
    }

    /** Opens a near-real-time reader of each writer every interval, on a thread of its own, closing the previous one. */
    private static final class Refresher implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final List<IndexWriter> writers;
        private final DirectoryReader[] readers;
        private boolean closed;

        Refresher(List<IndexWriter> writers, Duration every) {
            this.writers = writers;
            this.readers = new DirectoryReader[writers.size()];
            timer.scheduleWithFixedDelay(this::refresh, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }

        private synchronized void refresh() {
            if (closed) {
                return;
            }
            try {
                for (int i = 0; i < readers.length; i++) {
                    DirectoryReader next = readers[i] == null ? DirectoryReader.open(writers.get(i))
                            : DirectoryReader.openIfChanged(readers[i], writers.get(i));
                    if (next != null) {
                        if (readers[i] != null) {
                            readers[i].close();
                        }
                        readers[i] = next;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            synchronized (this) { // after a refresh under way, never during one: interrupting it would close the files
                if (closed) {
                    return;
                }
                closed = true;
                org.apache.lucene.util.IOUtils.close(readers);
            }
            timer.shutdown();
        }
    }
}
