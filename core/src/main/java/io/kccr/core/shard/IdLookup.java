package io.kccr.core.shard;

import io.kccr.core.mapping.MetaFields;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Looks ids up in one searcher, reusing each segment's terms enum across calls (creating one per
 * lookup costs more than the seek). Not thread-safe; valid while the searcher is held.
 */
public final class IdLookup {
    private final List<LeafReaderContext> leaves;
    private final TermsEnum[] termsEnums;
    private final boolean[] opened;
    private PostingsEnum postings;

    public IdLookup(IndexSearcher searcher) {
        this.leaves = searcher.getIndexReader().leaves();
        this.termsEnums = new TermsEnum[leaves.size()];
        this.opened = new boolean[leaves.size()];
    }

    /** The state of {@code id}; null when absent. */
    public DocState get(String id) throws IOException {
        BytesRef term = new BytesRef(id);
        for (int i = leaves.size() - 1; i >= 0; i--) { // newest segments last: recent ids are found sooner
            TermsEnum te = termsEnum(i);
            if (te == null || !te.seekExact(term)) {
                continue;
            }
            LeafReaderContext leaf = leaves.get(i);
            Bits live = leaf.reader().getLiveDocs();
            postings = te.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live == null || live.get(doc)) {
                    return new DocState(numeric(leaf, MetaFields.SEQ_NO, doc),
                            numeric(leaf, MetaFields.PRIMARY_TERM, doc), numeric(leaf, MetaFields.VERSION, doc), false);
                }
            }
        }
        return null;
    }

    private TermsEnum termsEnum(int leaf) throws IOException {
        if (!opened[leaf]) {
            opened[leaf] = true;
            Terms terms = leaves.get(leaf).reader().terms(MetaFields.ID);
            termsEnums[leaf] = terms == null ? null : terms.iterator();
        }
        return termsEnums[leaf];
    }

    /** The state of {@code id} as {@code searcher} sees it; null when absent. */
    public static DocState lookup(IndexSearcher searcher, String id) throws IOException {
        return new IdLookup(searcher).get(id);
    }

    private static long numeric(LeafReaderContext leaf, String field, int doc) throws IOException {
        NumericDocValues values = leaf.reader().getNumericDocValues(field);
        return values != null && values.advanceExact(doc) ? values.longValue() : 0;
    }
}
