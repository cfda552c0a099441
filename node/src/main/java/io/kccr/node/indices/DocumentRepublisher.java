package io.kccr.node.indices;

import io.kccr.core.mapping.MetaFields;
import io.kccr.leader.Acks;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Publishes every live document of a Lucene reader into a leader index, through its log like any write: how a
 * follower becomes a plain index (unfollow) and how a dangling index is imported. Writes go in batches, each waited
 * for before the next, so memory stays bounded. Indexing a document again by its id gives the same document, so a
 * run that stopped half-way (a crash) is completed by running it again.
 */
final class DocumentRepublisher {
    private static final int BATCH = 5_000;

    private DocumentRepublisher() {
    }

    /** Indexes each live document of {@code reader} into {@code target}; returns how many. */
    static long republish(IndexReader reader, LeaderIndex target, Duration timeout) throws IOException {
        List<CompletableFuture<WriteResult>> pending = new ArrayList<>();
        long count = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            Bits live = leaf.reader().getLiveDocs();
            StoredFields stored = leaf.reader().storedFields();
            for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                Document d = stored.document(doc);
                pending.add(target.republish(d.get(MetaFields.ID),
                        BytesRef.deepCopyOf(d.getBinaryValue(MetaFields.SOURCE)).bytes));
                count++;
                if (pending.size() >= BATCH) {
                    pending.forEach(f -> Acks.await(f, timeout));
                    pending.clear();
                }
            }
        }
        pending.forEach(f -> Acks.await(f, timeout));
        return count;
    }
}
