package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefHash;

/**
 * {@code terms}: a bucket per distinct value. Each shard counts every value of its matching documents, keeps its
 * {@code shard_size} best buckets by the order and reports the counts of the others as
 * {@code sum_other_doc_count}; the reduce merges the shards' buckets and computes
 * {@code doc_count_error_upper_bound} from what each shard may have left out, exactly as Elasticsearch does.
 */
public final class TermsAggregation {
    private TermsAggregation() {
    }

    /** The parsed aggregation; {@code missing} is the value documents without the field count as (null = none). */
    public record Factory(String name, ValuesSource source, int size, int shardSize, long minDocCount,
                          long shardMinDocCount, List<BucketOrder> order, String missing, ValueFormat format,
                          boolean showTermDocCountError, List<AggregatorFactory> subs,
                          List<PipelineAggregation> pipelines, JsonNode meta) implements AggregatorFactory {

        /** Elasticsearch's type name of the result. */
        String resultType() {
            if (!source.isMapped()) {
                return "sterms";
            }
            if (source.isKeyword()) {
                return "sterms";
            }
            return source.isFloatingPoint() ? "dterms" : "lterms";
        }

        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new TermsAggregator(this, context);
        }

        InternalTerms result(List<Bucket> buckets, long otherDocCount) {
            return new InternalTerms(name, resultType(), order, size, shardSize, minDocCount, showTermDocCountError,
                    buckets, 0, otherDocCount, pipelines, meta);
        }
    }

    private static final class TermsAggregator extends BucketsAggregator {
        private final Factory f;
        private final LongKeyedOrds ords;
        private final BytesRefHash terms; // keyword values, by id
        private final long missingKey;
        private final boolean hasMissing;

        TermsAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
            this.ords = new LongKeyedOrds(context, f.name);
            this.terms = f.source.isKeyword() || !f.source.isMapped() ? new BytesRefHash() : null;
            this.hasMissing = f.missing != null;
            if (!hasMissing) {
                missingKey = 0;
            } else if (terms != null) {
                missingKey = termId(new BytesRef(f.missing));
            } else {
                missingKey = f.source.toRaw(Double.parseDouble(f.missing));
            }
        }

        private long termId(BytesRef term) {
            int id = terms.add(term);
            if (id < 0) {
                return -1 - id;
            }
            context.account(term.length + 32L, name);
            return id;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafBucketCollector[] subLeaves = subLeaves(leaf);
            if (!f.source.isMapped()) {
                return hasMissing ? allToMissing(subLeaves, ords, missingKey) : LeafBucketCollector.NO_OP;
            }
            if (f.source.isKeyword()) {
                SortedSetDocValues values = f.source.keywords(leaf.reader());
                long valueCount = values.getValueCount();
                // segment ordinal -> shard-wide term id, looked up once per segment and term
                long[] termIds = new long[(int) Math.min(valueCount, Integer.MAX_VALUE - 8)];
                Arrays.fill(termIds, -1);
                // segment ordinal -> bucket ordinal of owning bucket 0: the top-level case skips the hash lookup
                int[] topOrds = new int[termIds.length];
                Arrays.fill(topOrds, -1);
                context.account(termIds.length * 12L, name);
                SortedDocValues single = DocValues.unwrapSingleton(values);
                if (single != null) {
                    // one value per document (the segment says so): its ordinal directly, no value count
                    return new Leaf(subLeaves) {
                        @Override
                        public void collect(int doc, long bucket) throws IOException {
                            if (single.advanceExact(doc)) {
                                collectBucket(subLeaves, doc, ord(single.ordValue(), bucket));
                            } else if (hasMissing) {
                                collectBucket(subLeaves, doc, ords.add(bucket, missingKey));
                            }
                        }

                        @Override
                        public void collect(int[] docs, int count, long bucket) throws IOException {
                            collect(docs, same(bucket, count), count);
                        }

                        @Override
                        public void collect(int[] docs, long[] buckets, int count) throws IOException {
                            buffers(count);
                            int[] withValue = docBuffer;
                            long[] bucketOrds = ordBuffer;
                            int n = 0;
                            for (int i = 0; i < count; i++) {
                                int doc = docs[i];
                                if (single.advanceExact(doc)) {
                                    withValue[n] = doc;
                                    bucketOrds[n++] = ord(single.ordValue(), buckets[i]);
                                } else if (hasMissing) {
                                    withValue[n] = doc;
                                    bucketOrds[n++] = ords.add(buckets[i], missingKey);
                                }
                            }
                            collectBuckets(subLeaves, withValue, bucketOrds, n);
                        }

                        private int ord(int segOrd, long bucket) throws IOException {
                            int ord = bucket == 0 ? topOrds[segOrd] : -1;
                            return ord >= 0 ? ord : bucketOrd(single.lookupOrd(segOrd), segOrd, bucket, termIds, topOrds);
                        }
                    };
                }
                return new Leaf(subLeaves) {
                    @Override
                    public void collect(int doc, long bucket) throws IOException {
                        if (values.advanceExact(doc)) {
                            for (int i = 0, n = values.docValueCount(); i < n; i++) {
                                int segOrd = (int) values.nextOrd();
                                int ord = bucket == 0 ? topOrds[segOrd] : -1;
                                if (ord < 0) {
                                    ord = termIds[segOrd] >= 0 ? bucketOrd(null, segOrd, bucket, termIds, topOrds)
                                            : bucketOrd(values.lookupOrd(segOrd), segOrd, bucket, termIds, topOrds);
                                }
                                collectBucket(subLeaves, doc, ord);
                            }
                        } else if (hasMissing) {
                            collectBucket(subLeaves, doc, ords.add(bucket, missingKey));
                        }
                    }
                };
            }
            SortedNumericDocValues values = f.source.numbers(leaf.reader());
            return new Leaf(subLeaves) {
                @Override
                public void collect(int doc, long bucket) throws IOException {
                    if (values.advanceExact(doc)) {
                        long previous = 0;
                        for (int i = 0, n = values.docValueCount(); i < n; i++) {
                            long v = values.nextValue();
                            if (i > 0 && v == previous) {
                                continue; // a value twice in one document counts once
                            }
                            previous = v;
                            collectBucket(subLeaves, doc, ords.add(bucket, v));
                        }
                    } else if (hasMissing) {
                        collectBucket(subLeaves, doc, ords.add(bucket, missingKey));
                    }
                }
            };
        }

        /**
         * The bucket ordinal of segment ordinal {@code segOrd} under owning bucket {@code bucket}: its shard-wide term
         * id is looked up once per segment and term ({@code term} is the segment's term, needed only then), and the
         * ordinal of the top-level bucket is remembered per segment ordinal, so the top level skips the hash lookup.
         */
        private int bucketOrd(BytesRef term, int segOrd, long bucket, long[] termIds, int[] topOrds) {
            long id = termIds[segOrd];
            if (id < 0) {
                id = termId(term);
                termIds[segOrd] = id;
            }
            int ord = ords.add(bucket, id);
            if (bucket == 0) {
                topOrds[segOrd] = ord;
            }
            return ord;
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            int[] owned = ords.ordsOf(owningBucket);
            List<long[]> candidates = new ArrayList<>(owned.length); // {ord, docCount}
            for (int ord : owned) {
                long count = docCount(ord);
                if (count >= f.shardMinDocCount) {
                    candidates.add(new long[] {ord, count});
                }
            }
            boolean subsFirst = BucketOrder.needsSubs(f.order);
            List<Bucket> buckets = new ArrayList<>(candidates.size());
            for (long[] c : candidates) {
                int ord = (int) c[0];
                buckets.add(new Bucket(key(ord), keyAsString(ord), c[1], 0,
                        subsFirst ? buildSubs(ord) : InternalAggs.EMPTY, null));
            }
            Comparator<Bucket> cmp = BucketOrder.comparator(f.order);
            long other = 0;
            if (buckets.size() > f.shardSize) {
                buckets.sort(cmp);
                for (Bucket b : buckets.subList(f.shardSize, buckets.size())) {
                    other += b.docCount();
                }
                buckets = new ArrayList<>(buckets.subList(0, f.shardSize));
            }
            if (!subsFirst && f.subs.size() > 0) {
                List<Bucket> withSubs = new ArrayList<>(buckets.size());
                for (Bucket b : buckets) {
                    withSubs.add(b.withSubs(buildSubs(ords.find(owningBucket, rawKey(b)))));
                }
                buckets = withSubs;
            }
            return f.result(buckets, other);
        }

        private long rawKey(Bucket b) {
            if (terms != null) {
                return terms.find(new BytesRef((String) b.key()));
            }
            return b.key() instanceof Double d ? f.source.toRaw(d) : (Long) b.key();
        }

        private Object key(int ord) {
            long k = ords.key(ord);
            if (terms != null) {
                return terms.get((int) k, new BytesRef()).utf8ToString();
            }
            return f.source.isFloatingPoint() ? (Object) f.source.toDouble(k) : (Object) k;
        }

        private String keyAsString(int ord) {
            if (terms != null) {
                return null;
            }
            return f.format.format(f.source.toDouble(ords.key(ord)));
        }
    }
}
