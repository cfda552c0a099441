package io.kccr.core.search.aggs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.tdunning.math.stats.MergingDigest;
import com.tdunning.math.stats.TDigest;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.search.fetch.SearchHit;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;

/**
 * The wire form of one shard's aggregation results, as a node sends them to the coordinating node of a search that
 * spans nodes: only what the shard computed (buckets, counts, sums, sketches, digests); what the request says
 * (names, orders, sizes, formats, pipelines) is taken from the request's aggregations, parsed again on the
 * coordinating node, as Elasticsearch reads a shard result against its request. Stateless.
 */
public final class AggWire {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AggWire() {
    }

    /** Hook for the hits of a {@code top_hits} result, which the search package reads and writes. */
    public interface Hits {
        JsonNode write(SearchHit hit);

        SearchHit read(JsonNode json);
    }

    private static volatile Hits hits;

    /** Set once by the search package, which knows how hits go over the wire. */
    public static void hitsCodec(Hits codec) {
        hits = codec;
    }

    public static ArrayNode write(InternalAggs aggs) {
        ArrayNode out = F.arrayNode();
        for (InternalAgg a : aggs.aggs()) {
            ObjectNode n = out.addObject();
            n.put("name", a.name());
            writeData(a, n);
        }
        return out;
    }

    /** Reads results written by {@link #write}, against the request's aggregations at that level. */
    public static InternalAggs read(JsonNode node, List<AggregatorFactory> factories) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode n : node) {
            byName.put(n.get("name").asText(), n);
        }
        List<InternalAgg> out = new ArrayList<>();
        for (AggregatorFactory f : factories) {
            JsonNode n = byName.get(f.name());
            if (n != null) {
                out.add(readData(f, n));
            }
        }
        return new InternalAggs(out);
    }

    private static void writeData(InternalAgg a, ObjectNode n) {
        switch (a) {
            case InternalTerms t -> {
                n.set("buckets", buckets(t.buckets()));
                n.put("error", t.docCountError());
                n.put("other", t.otherDocCount());
            }
            case InternalHistogram h -> {
                n.set("buckets", buckets(h.buckets()));
                n.set("empty", write(h.emptySubs()));
            }
            case InternalRange r -> n.set("buckets", buckets(r.buckets()));
            case FiltersAggregation.InternalFilters f -> n.set("buckets", buckets(f.buckets()));
            case CompositeAggregation.InternalComposite c -> n.set("buckets", buckets(c.buckets()));
            case InternalSingleBucket s -> {
                n.put("count", s.docCount());
                n.set("subs", write(s.subs()));
            }
            case InternalStats s -> {
                n.put("count", s.count());
                n.put("sum", Double.toString(s.sum()));
                n.put("min", Double.toString(s.min()));
                n.put("max", Double.toString(s.max()));
                n.put("squares", Double.toString(s.sumOfSquares()));
            }
            case CardinalityAggregation.InternalCardinality c ->
                    n.put("counter", Base64.getEncoder().encodeToString(c.counter().toBytes()));
            case PercentilesAggregation.InternalPercentiles p -> {
                ByteBuffer b = ByteBuffer.allocate(p.digest().byteSize());
                p.digest().asBytes(b);
                n.put("digest", Base64.getEncoder().encodeToString(b.array()));
            }
            case TopHitsAggregation.InternalTopHits t -> {
                n.put("total", t.topDocs().totalHits.value());
                ArrayNode docs = n.putArray("docs");
                for (int i = 0; i < t.topDocs().scoreDocs.length; i++) {
                    ScoreDoc sd = t.topDocs().scoreDocs[i];
                    ObjectNode d = docs.addObject();
                    d.put("doc", sd.doc);
                    d.put("score", Float.toString(sd.score));
                    if (sd instanceof FieldDoc fd) {
                        ArrayNode values = d.putArray("sort");
                        for (Object v : fd.fields) {
                            values.add(value(v));
                        }
                    }
                    d.set("hit", hits.write(t.hits().get(i)));
                }
            }
            default -> throw InvalidRequestException.illegalArgument("aggregation [" + a.name() + "] of type ["
                    + a.type() + "] cannot yet be computed over shards on several nodes; search with"
                    + " preference=_only_local on a node holding every shard, or without it");
        }
    }

    private static InternalAgg readData(AggregatorFactory factory, JsonNode n) {
        return switch (factory) {
            case TermsAggregation.Factory f -> new InternalTerms(f.name(), f.resultType(), f.order(), f.size(),
                    f.shardSize(), f.minDocCount(), f.showTermDocCountError(), buckets(n.get("buckets"), f.subs()),
                    n.get("error").asLong(), n.get("other").asLong(), f.pipelines(), f.meta());
            case HistogramAggregation.Factory f -> new InternalHistogram(f, buckets(n.get("buckets"), f.subs()),
                    read(n.get("empty"), f.subs()));
            case RangeAggregation.Factory f -> new InternalRange(f, buckets(n.get("buckets"), f.subs()));
            case FiltersAggregation.Factory f -> new FiltersAggregation.InternalFilters(f,
                    buckets(n.get("buckets"), f.subs()));
            case CompositeAggregation.Factory f -> new CompositeAggregation.InternalComposite(f,
                    buckets(n.get("buckets"), f.subs()));
            case SingleBucketAggregation.Factory f -> new InternalSingleBucket(f.name(), f.type(),
                    n.get("count").asLong(), read(n.get("subs"), f.subs()), f.meta());
            case StatsAggregation.Factory f -> new InternalStats(f.name(), f.kind(), n.get("count").asLong(),
                    number(n, "sum"), number(n, "min"), number(n, "max"), number(n, "squares"), f.sigma(), f.format(),
                    f.meta());
            case CardinalityAggregation.Factory f -> new CardinalityAggregation.InternalCardinality(f.name(),
                    HyperLogLogPlusPlus.fromBytes(f.precisionThreshold(),
                            Base64.getDecoder().decode(n.get("counter").asText())), f.meta());
            case PercentilesAggregation.Factory f -> {
                TDigest digest = MergingDigest.fromBytes(ByteBuffer.wrap(
                        Base64.getDecoder().decode(n.get("digest").asText())));
                yield new PercentilesAggregation.InternalPercentiles(f, digest);
            }
            case TopHitsAggregation.Factory f -> topHits(f, n);
            default -> throw InvalidRequestException.illegalArgument("aggregation [" + factory.name()
                    + "] cannot yet be computed over shards on several nodes");
        };
    }

    private static InternalAgg topHits(TopHitsAggregation.Factory f, JsonNode n) {
        List<SearchHit> fetched = new ArrayList<>();
        List<ScoreDoc> docs = new ArrayList<>();
        for (JsonNode d : n.get("docs")) {
            float score = Float.parseFloat(d.get("score").asText());
            if (d.has("sort")) {
                List<Object> values = new ArrayList<>();
                d.get("sort").forEach(v -> values.add(value(v)));
                docs.add(new FieldDoc(d.get("doc").asInt(), score, values.toArray()));
            } else {
                docs.add(new ScoreDoc(d.get("doc").asInt(), score));
            }
            fetched.add(hits.read(d.get("hit")));
        }
        TotalHits total = new TotalHits(n.get("total").asLong(), TotalHits.Relation.EQUAL_TO);
        ScoreDoc[] array = docs.toArray(ScoreDoc[]::new);
        TopDocs top = f.sort() == null ? new TopDocs(total, array) : new TopFieldDocs(total, array, f.sort().getSort());
        return new TopHitsAggregation.InternalTopHits(f, top, fetched);
    }

    private static double number(JsonNode n, String field) {
        return Double.parseDouble(n.get(field).asText());
    }

    private static ArrayNode buckets(List<Bucket> buckets) {
        ArrayNode out = F.arrayNode();
        for (Bucket b : buckets) {
            ObjectNode o = out.addObject();
            o.set("key", value(b.key()));
            if (b.keyAsString() != null) {
                o.put("key_as_string", b.keyAsString());
            }
            o.put("count", b.docCount());
            o.put("error", b.docCountError());
            o.set("subs", write(b.subs()));
            if (b.range() != null) {
                ObjectNode r = o.putObject("range");
                r.put("from", Double.toString(b.range().from()));
                r.put("to", Double.toString(b.range().to()));
                r.put("from_as_string", b.range().fromAsString());
                r.put("to_as_string", b.range().toAsString());
            }
        }
        return out;
    }

    private static List<Bucket> buckets(JsonNode array, List<AggregatorFactory> subs) {
        List<Bucket> out = new ArrayList<>();
        for (JsonNode o : array) {
            Bucket.RangeBounds range = null;
            if (o.has("range")) {
                JsonNode r = o.get("range");
                range = new Bucket.RangeBounds(Double.parseDouble(r.get("from").asText()),
                        Double.parseDouble(r.get("to").asText()), text(r, "from_as_string"), text(r, "to_as_string"));
            }
            out.add(new Bucket(value(o.get("key")), text(o, "key_as_string"), o.get("count").asLong(),
                    o.get("error").asLong(), read(o.get("subs"), subs), range));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    /** A key or sort value, typed: strings, longs, ints, doubles, floats, booleans, byte strings, maps of those. */
    private static JsonNode value(Object v) {
        ArrayNode a = F.arrayNode();
        switch (v) {
            case null -> {
                return F.nullNode();
            }
            case String s -> a.add("s").add(s);
            case Long l -> a.add("l").add(l);
            case Integer i -> a.add("i").add(i);
            case Double d -> a.add("d").add(Double.toString(d));
            case Float f -> a.add("f").add(Float.toString(f));
            case Boolean b -> a.add("z").add(b);
            case BytesRef b -> a.add("b").add(Base64.getEncoder().encodeToString(BytesRef.deepCopyOf(b).bytes));
            case List<?> list -> {
                ArrayNode items = a.add("a").addArray();
                list.forEach(x -> items.add(value(x)));
            }
            case Map<?, ?> m -> {
                ObjectNode o = a.add("m").addObject();
                m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
            }
            default -> throw new IllegalArgumentException("a value of type " + v.getClass().getName()
                    + " cannot be sent to another node");
        }
        return a;
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        JsonNode x = v.get(1);
        return switch (v.get(0).asText()) {
            case "s" -> x.asText();
            case "l" -> x.asLong();
            case "i" -> x.asInt();
            case "d" -> Double.parseDouble(x.asText());
            case "f" -> Float.parseFloat(x.asText());
            case "z" -> x.asBoolean();
            case "b" -> new BytesRef(Base64.getDecoder().decode(x.asText()));
            case "a" -> {
                List<Object> list = new ArrayList<>();
                x.forEach(e -> list.add(value(e)));
                yield list;
            }
            case "m" -> {
                Map<String, Object> m = new LinkedHashMap<>();
                x.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
                yield m;
            }
            default -> throw new IllegalArgumentException("unknown value type " + v.get(0));
        };
    }
}
