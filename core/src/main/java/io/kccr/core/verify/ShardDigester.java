package io.kccr.core.verify;

import io.kccr.core.mapping.MetaFields;
import io.kccr.core.shard.LuceneShard;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFieldDataInput;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.InPlaceMergeSorter;

/**
 * A shard's digest read from its Lucene index: every live document in {@link IdOrder} with its {@code _seq_no} and
 * the {@link SourceHash} of its {@code _source}, from one point-in-time reader held until {@link #close}.
 *
 * <p>Order: the {@code _id} terms of the postings, merged across segments ({@link MultiTerms}), are sorted by their
 * bytes, and each live id appears once, so both sides of a comparison stream in the same order with nothing
 * buffered but a window of {@value #WINDOW} documents. The {@code _id} sorted doc values would give the same order
 * only through an ordinal-to-document table of the whole shard (memory linear in the documents); the terms enum
 * gives each id's document directly. Each document's {@code _seq_no} is read from its doc values and its
 * {@code _source} from the stored fields; in id order these reads would jump between documents, and each jump back
 * would cost a stored-fields block decompression (and restart the doc values), so the window's documents are read
 * in document order, through the stored fields' merge instance which keeps the last block decompressed, then handed
 * out in id order. Documents above the checkpoint are not hashed.
 *
 * <p>Not thread-safe: one consumer.
 */
public final class ShardDigester implements DigestStream {
    private static final Duration POLL = Duration.ofMillis(5);
    /** How many documents are read ahead in id order: the memory a digest holds, whatever the shard's size. */
    static final int WINDOW = 8192;

    private final DigestHeader header;
    private final LuceneShard shard;
    private final IndexSearcher searcher;
    private final List<LeafReaderContext> leaves;
    private final Bits liveDocs;
    private final TermsEnum ids;
    private final NumericDocValues[] seqNos;
    private final StoredFields[] storedFields;
    private final SourceVisitor source = new SourceVisitor();
    private final String[] windowIds = new String[WINDOW];
    private final int[] windowDocs = new int[WINDOW];
    private final long[] windowSeqNos = new long[WINDOW];
    private final String[] windowHashes = new String[WINDOW];
    private final int[] order = new int[WINDOW];
    private int position;
    private int filled;
    private boolean exhausted;
    private PostingsEnum postings;
    private long count;
    private boolean closed;

    /**
     * Opens the digest of {@code shard} of index {@code index}. With {@code maxSeqNo}, first waits up to {@code wait}
     * for the shard to have applied that far (a leader applies an op to Lucene just after Kafka committed it, so a
     * follower may briefly be ahead of its leader's Lucene); then the checkpoint is {@code maxSeqNo} capped at what
     * the shard applied. Without, the checkpoint is what the shard applied. The shard is then refreshed, so the
     * reader holds every op up to the checkpoint whatever the refresh interval.
     */
    public static ShardDigester open(String index, int numberOfShards, LuceneShard shard, Long maxSeqNo,
                                     Duration wait, Clock clock) throws IOException {
        if (maxSeqNo != null) {
            long deadline = clock.millis() + wait.toMillis();
            while (shard.maxSeqNo() < maxSeqNo && clock.millis() < deadline) {
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted waiting for shard [" + shard.shardId()
                            + "] to apply seq_no " + maxSeqNo);
                }
            }
        }
        long applied = shard.maxSeqNo(); // read before the refresh: the reader then holds every op up to it
        long checkpoint = maxSeqNo == null ? applied : Math.min(maxSeqNo, applied);
        shard.refresh();
        IndexSearcher searcher = shard.acquireSearcher();
        try {
            return new ShardDigester(new DigestHeader(index, shard.shardId(), numberOfShards, applied, checkpoint),
                    shard, searcher);
        } catch (IOException | RuntimeException e) {
            shard.releaseSearcher(searcher);
            throw e;
        }
    }

    private ShardDigester(DigestHeader header, LuceneShard shard, IndexSearcher searcher) throws IOException {
        this.header = header;
        this.shard = shard;
        this.searcher = searcher;
        IndexReader reader = searcher.getIndexReader();
        this.leaves = reader.leaves();
        this.liveDocs = MultiBits.getLiveDocs(reader);
        Terms terms = MultiTerms.getTerms(reader, MetaFields.ID);
        this.ids = terms == null ? TermsEnum.EMPTY : terms.iterator();
        this.seqNos = new NumericDocValues[leaves.size()];
        this.storedFields = new StoredFields[leaves.size()];
    }

    @Override
    public DigestHeader header() {
        return header;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public DocDigest next() throws IOException {
        if (position == filled) {
            fill();
            if (filled == 0) {
                return null;
            }
        }
        count++;
        int i = position++;
        return new DocDigest(windowIds[i], windowSeqNos[i], windowHashes[i]);
    }

    /**
     * Reads the next {@link #WINDOW} live ids in id order, then their seq_no and source in document order: within
     * a window the reads go forwards through each segment, so doc values need no restart and the stored fields
     * decompress each block once for all the window's documents in it.
     */
    private void fill() throws IOException {
        position = 0;
        filled = 0;
        BytesRef term;
        while (!exhausted && filled < WINDOW) {
            term = ids.next();
            if (term == null) {
                exhausted = true; // a terms enum must not be asked again once it ended
                break;
            }
            postings = ids.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (liveDocs == null || liveDocs.get(doc)) {
                    windowIds[filled] = term.utf8ToString();
                    windowDocs[filled] = doc;
                    order[filled] = filled;
                    filled++;
                    break;
                }
            }
        }
        new InPlaceMergeSorter() {
            @Override
            protected int compare(int i, int j) {
                return Integer.compare(windowDocs[order[i]], windowDocs[order[j]]);
            }

            @Override
            protected void swap(int i, int j) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }.sort(0, filled);
        for (int leaf = 0; leaf < leaves.size(); leaf++) {
            seqNos[leaf] = null; // doc values iterate forwards only: each window starts them again
        }
        for (int k = 0; k < filled; k++) {
            int i = order[k];
            int doc = windowDocs[i];
            int leaf = ReaderUtil.subIndex(doc, leaves);
            LeafReaderContext context = leaves.get(leaf);
            int local = doc - context.docBase;
            windowSeqNos[i] = seqNo(leaf, context, local);
            windowHashes[i] = windowSeqNos[i] > header.checkpoint() ? null : hash(leaf, context, local);
        }
    }

    private String hash(int leaf, LeafReaderContext context, int doc) throws IOException {
        StoredFields stored = storedFields[leaf];
        if (stored == null) {
            // a CodecReader's merge instance keeps the last decompressed block: documents read in increasing order
            // within a window decompress each block once, where plain stored fields decompress one per document
            stored = storedFields[leaf] = context.reader() instanceof CodecReader codec
                    && codec.getFieldsReader() != null ? codec.getFieldsReader().getMergeInstance()
                    : context.reader().storedFields();
        }
        source.length = -1;
        stored.document(doc, source);
        return source.length < 0 ? SourceHash.of(new byte[0], 0, 0) : SourceHash.of(source.bytes, 0, source.length);
    }

    private long seqNo(int leaf, LeafReaderContext context, int doc) throws IOException {
        NumericDocValues values = seqNos[leaf];
        if (values == null) {
            values = seqNos[leaf] = context.reader().getNumericDocValues(MetaFields.SEQ_NO);
        }
        return values != null && values.advanceExact(doc) ? values.longValue() : -1;
    }

    /** Reads {@code _source} only, into a buffer reused across documents. */
    private static final class SourceVisitor extends StoredFieldVisitor {
        byte[] bytes = new byte[1024];
        int length;

        @Override
        public Status needsField(FieldInfo fieldInfo) {
            return fieldInfo.name.equals(MetaFields.SOURCE) ? Status.YES : Status.NO;
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, StoredFieldDataInput value) throws IOException {
            length = value.length();
            bytes = ArrayUtil.grow(bytes, length);
            value.in().readBytes(bytes, 0, length);
        }

        @Override
        public void binaryField(FieldInfo fieldInfo, byte[] value) {
            bytes = value;
            length = value.length;
        }
    }

    /** Releases the reader. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            shard.releaseSearcher(searcher);
        }
    }
}
