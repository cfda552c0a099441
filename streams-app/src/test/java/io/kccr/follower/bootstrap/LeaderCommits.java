package io.kccr.follower.bootstrap;

import io.kccr.core.index.ShardCommitData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.store.FSDirectory;

/** Real Lucene commits on disk, as a leader shard makes them, for the copy tests to copy. */
final class LeaderCommits {
    static final String HISTORY = "leader-history";

    private LeaderCommits() {
    }

    /**
     * Writes {@code segments} segments of {@code docsPerSegment} documents each (incompressible stored
     * bytes, so that files span several chunks) into {@code dir}, one commit after each, the last
     * carrying the commit data a leader writes.
     */
    static Path write(Path dir, int segments, int docsPerSegment, long seed) throws IOException {
        Random random = new Random(seed);
        IndexWriterConfig config = new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE);
        try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
            int seqNo = 0;
            for (int s = 0; s < segments; s++) {
                for (int d = 0; d < docsPerSegment; d++, seqNo++) {
                    byte[] body = new byte[256];
                    random.nextBytes(body);
                    Document doc = new Document();
                    doc.add(new StringField("_id", "doc-" + seqNo, Field.Store.YES));
                    doc.add(new StoredField("body", body));
                    writer.addDocument(doc);
                }
                writer.setLiveCommitData(new ShardCommitData(seqNo - 1, seqNo + 2L * s, HISTORY, 1)
                        .toUserData().entrySet());
                writer.commit();
            }
        }
        return dir;
    }
}
