package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Query;

/**
 * {@code filters}: a bucket per named (or listed) query, and with {@code other_bucket} one for the documents
 * that match none. A document may be in several buckets.
 */
public final class FiltersAggregation {
    private FiltersAggregation() {
    }

    /**
     * The parsed aggregation: {@code keys} null for an anonymous (array) list of filters; {@code otherKey} null
     * when there is no other bucket.
     */
    public record Factory(String name, List<String> keys, List<Query> filters, String otherKey,
                          List<AggregatorFactory> subs, List<PipelineAggregation> pipelines, JsonNode meta)
            implements AggregatorFactory {
        @Override
        public Aggregator create(AggregationContext context) throws IOException {
            return new FiltersAggregator(this, context);
        }

        int bucketCount() {
            return filters.size() + (otherKey != null ? 1 : 0);
        }
    }

    private static final class FiltersAggregator extends BucketsAggregator {
        private final Factory f;

        FiltersAggregator(Factory f, AggregationContext context) throws IOException {
            super(f.name, context, f.subs);
            this.f = f;
        }

        @Override
        public LeafBucketCollector leaf(LeafReaderContext leaf) throws IOException {
            LeafBucketCollector[] subLeaves = subLeaves(leaf);
            int n = f.filters.size();
            SingleBucketAggregation.Matches[] matches = new SingleBucketAggregation.Matches[n];
            for (int i = 0; i < n; i++) {
                matches[i] = SingleBucketAggregation.Matches.of(context.filterWeight(f.filters.get(i)), leaf);
            }
            int buckets = f.bucketCount();
            return new Leaf(subLeaves) {
                @Override
                public void collect(int doc, long bucket) throws IOException {
                    boolean any = false;
                    for (int i = 0; i < n; i++) {
                        if (matches[i].matches(doc)) {
                            any = true;
                            collectBucket(subLeaves, doc, bucket * buckets + i);
                        }
                    }
                    if (!any && f.otherKey != null) {
                        collectBucket(subLeaves, doc, bucket * buckets + n);
                    }
                }
            };
        }

        @Override
        public InternalAgg build(long owningBucket) throws IOException {
            int buckets = f.bucketCount();
            List<Bucket> out = new ArrayList<>(buckets);
            for (int i = 0; i < buckets; i++) {
                long ord = owningBucket * buckets + i;
                String key = i < f.filters.size() ? (f.keys == null ? null : f.keys.get(i)) : f.otherKey;
                out.add(new Bucket(key, null, docCount(ord), 0, buildSubs(ord), null));
            }
            return new InternalFilters(f, out);
        }
    }

    /** A {@code filters} result: keyed by filter name, or a list for anonymous filters. */
    public record InternalFilters(Factory factory, List<Bucket> buckets) implements MultiBucketAgg {
        @Override
        public String name() {
            return factory.name;
        }

        @Override
        public String type() {
            return "filters";
        }

        @Override
        public JsonNode meta() {
            return factory.meta;
        }

        @Override
        public InternalAgg reduce(List<InternalAgg> shards, ReduceContext context) {
            List<Bucket> merged = MultiBucketAgg.reduceByPosition(buckets, shards, context);
            return MultiBucketAgg.applyPipelines(new InternalFilters(factory, merged), factory.pipelines);
        }

        @Override
        public MultiBucketAgg withBuckets(List<Bucket> newBuckets) {
            return new InternalFilters(factory, newBuckets);
        }

        @Override
        public ObjectNode body(boolean typedKeys) {
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            boolean anonymous = factory.keys == null;
            if (anonymous) {
                ArrayNode arr = n.putArray("buckets");
                for (Bucket b : buckets) {
                    arr.add(b.toJson(typedKeys, false)); // anonymous buckets (the other one last) have no key
                }
            } else {
                ObjectNode obj = n.putObject("buckets");
                for (Bucket b : buckets) {
                    obj.set((String) b.key(), b.toJson(typedKeys, false));
                }
            }
            return n;
        }
    }
}
