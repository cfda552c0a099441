package io.kccr.core.shard;

import io.kccr.core.mapping.MetaFields;
import io.kccr.core.routing.ShardRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.BytesRef;

/** Reads across an index's shards: one searcher over all of them, and gets by id. */
public final class ShardSearch {
    private ShardSearch() {
    }

    /** Runs {@code action} on a searcher over every shard's last refreshed reader; releases them after. */
    public static <T> T search(List<? extends LuceneShard> shards, SearchableIndex.SearchAction<T> action)
            throws IOException {
        List<IndexSearcher> acquired = new ArrayList<>();
        try {
            for (LuceneShard shard : shards) {
                acquired.add(shard.acquireSearcher());
            }
            IndexReader[] readers = acquired.stream().map(IndexSearcher::getIndexReader).toArray(IndexReader[]::new);
            try (MultiReader all = new MultiReader(readers, false)) {
                return action.apply(new IndexSearcher(all));
            }
        } finally {
            for (int i = 0; i < acquired.size(); i++) {
                shards.get(i).releaseSearcher(acquired.get(i));
            }
        }
    }

    /** The document {@code id} as the shard it routes to sees it after its last refresh. */
    public static GetResult get(List<? extends LuceneShard> shards, String id) {
        return get(shards.get(ShardRouting.shardFor(id, shards.size())), id);
    }

    /** The document {@code id} as {@code shard} (the one it routes to) sees it after its last refresh. */
    public static GetResult get(LuceneShard shard, String id) {
        try {
            IndexSearcher searcher = shard.acquireSearcher();
            try {
                TopDocs top = searcher.search(new TermQuery(new Term(MetaFields.ID, id)), 1);
                if (top.scoreDocs.length == 0) {
                    return GetResult.notFound(id);
                }
                DocState state = IdLookup.lookup(searcher, id);
                BytesRef source = searcher.storedFields().document(top.scoreDocs[0].doc).getBinaryValue(MetaFields.SOURCE);
                return new GetResult(id, true, state.seqNo(), state.primaryTerm(), state.version(),
                        BytesRef.deepCopyOf(source).bytes);
            } finally {
                shard.releaseSearcher(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
