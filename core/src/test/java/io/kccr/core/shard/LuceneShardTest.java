package io.kccr.core.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import io.kccr.core.wire.Operation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PointValues;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.NumericUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a {@link LuceneShard}'s refresh makes searchable, and what it does not wait for. */
class LuceneShardTest {
    private final DocumentMapper mapper = new DocumentMapper();

    /**
     * Each refresh shows the segment it flushed as it is: a refresh does not stop to merge the small segments the
     * refreshes before it flushed (Lucene's merge-on-refresh, which would fold the new one into a merged segment
     * before returning), so it costs no more than a flush however many segments there are.
     */
    @Test
    void aRefreshDoesNotWaitToMergeTheSegmentsItFlushed(@TempDir Path dir) throws Exception {
        try (LuceneShard shard = new LuceneShard(0, dir, "hist")) {
            for (int seqNo = 0; seqNo < 40; seqNo++) {
                String id = "doc-" + seqNo;
                byte[] source = ("{\"n\":" + seqNo + "}").getBytes(StandardCharsets.UTF_8);
                shard.apply(Operation.index(id, source, seqNo, 1, 1, 1, shard.historyUuid()),
                        mapper.parse(id, source, Mappings.empty()), seqNo, true);
                shard.refresh();
                IndexSearcher searcher = shard.acquireSearcher();
                try {
                    IndexReader reader = searcher.getIndexReader();
                    assertThat(reader.numDocs()).isEqualTo(seqNo + 1);
                    long newest = seqNo;
                    assertThat(reader.leaves()).as("the segment refresh %d flushed", seqNo)
                            .filteredOn(leaf -> maxSeqNo(leaf) == newest).singleElement()
                            .extracting(leaf -> leaf.reader().maxDoc()).isEqualTo(1);
                } finally {
                    shard.releaseSearcher(searcher);
                }
            }
        }
    }

    private static long maxSeqNo(LeafReaderContext leaf) {
        try {
            PointValues points = leaf.reader().getPointValues(MetaFields.SEQ_NO);
            return points == null ? -1 : NumericUtils.sortableBytesToLong(points.getMaxPackedValue(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
