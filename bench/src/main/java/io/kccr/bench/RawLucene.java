package io.kccr.bench;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.core.routing.ShardRouting;
import io.kccr.node.sample.SampleData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The limit the benchmarks compare against: GeoNames documents mapped with the same
 * {@link DocumentMapper} and sample mappings as a node's shards, written by {@link IndexWriter}s
 * (64 MB buffer, as a shard's) into fresh on-disk indexes, commit included.
 *
 * <p>Two baselines: one writer on one thread (the first round's figure), and one writer per shard
 * with one thread per shard up to the machine's cores ({@link #parallel}), documents routed to shards
 * as a node routes them. The second is the limit for a side that applies with one thread per shard.
 */
final class RawLucene {
    private RawLucene() {
    }

    /** What a baseline run did: docs/s, and the shards and threads it used. */
    record Run(double docsPerSecond, int shards, int threads) {
        String describe() {
            return shards + " IndexWriter" + (shards == 1 ? "" : "s") + " on " + threads + " thread"
                    + (threads == 1 ? "" : "s");
        }
    }

    /**
     * Indexes {@code docs} into a new index in {@code dir}, ids their positions from 1, one writer on one
     * thread, and commits (segments written and fsynced).
     *
     * @return docs/s from the first document mapped until the commit returned
     */
    static double docsPerSecond(List<byte[]> docs, Path dir) throws IOException {
        return parallel(docs, dir, 1).docsPerSecond();
    }

    /**
     * The same at the parallelism of an index of {@code shards} shards: one writer per shard in
     * {@code dir/<shard>}, documents routed by id as a node routes them, one thread per shard up to the
     * available cores (a thread then writes several shards in turn), every writer committed.
     */
    static Run parallel(List<byte[]> docs, Path dir, int shards) throws IOException {
        int threads = Math.max(1, Math.min(shards, Runtime.getRuntime().availableProcessors()));
        List<List<Integer>> byShard = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            byShard.add(new ArrayList<>());
        }
        for (int i = 0; i < docs.size(); i++) {
            byShard.get(ShardRouting.shardFor(Integer.toString(i + 1), shards)).add(i);
        }
        Mappings mappings = SampleData.mappings();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int s = thread; s < shards; s += threads) {
                        index(docs, byShard.get(s), dir.resolve(Integer.toString(s)), mappings);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
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
        }
        return new Run(docs.size() / ((System.nanoTime() - start) / 1e9), shards, threads);
    }

    private static void index(List<byte[]> docs, List<Integer> positions, Path dir, Mappings mappings)
            throws IOException {
        DocumentMapper mapper = new DocumentMapper();
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(DocumentMapper.analyzer())
                     .setRAMBufferSizeMB(64))) {
            for (int i : positions) {
                ParsedDocument doc = mapper.parse(Integer.toString(i + 1), docs.get(i), mappings);
                writer.addDocument(doc.toLuceneDocument(i, 1, 1));
            }
            writer.commit();
        }
    }
}
