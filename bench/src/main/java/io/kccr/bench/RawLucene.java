package io.kccr.bench;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.ParsedDocument;
import io.kccr.node.sample.SampleData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;

/**
 * The limit the benchmarks compare against: GeoNames documents mapped with the same
 * {@link DocumentMapper} and sample mappings as a node's shards, written by one {@link IndexWriter}
 * (64 MB buffer, as a shard's) on one thread into a fresh on-disk index.
 */
final class RawLucene {
    private RawLucene() {
    }

    /**
     * Indexes {@code docs} into a new index in {@code dir}, ids their positions from 1, and commits
     * (segments written and fsynced).
     *
     * @return docs/s from the first document mapped until the commit returned
     */
    static double docsPerSecond(List<byte[]> docs, Path dir) throws IOException {
        DocumentMapper mapper = new DocumentMapper();
        Mappings mappings = SampleData.mappings();
        long start = System.nanoTime();
        try (FSDirectory directory = FSDirectory.open(dir);
             IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(DocumentMapper.analyzer())
                     .setRAMBufferSizeMB(64))) {
            for (int i = 0; i < docs.size(); i++) {
                ParsedDocument doc = mapper.parse(Integer.toString(i + 1), docs.get(i), mappings);
                writer.addDocument(doc.toLuceneDocument(i, 1, 1));
            }
            writer.commit();
        }
        return docs.size() / ((System.nanoTime() - start) / 1e9);
    }
}
