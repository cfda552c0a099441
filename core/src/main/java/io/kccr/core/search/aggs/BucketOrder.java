package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A bucket {@code order}: {@code _count}, {@code _key} or a metric sub-aggregation path, ascending or descending.
 * A list of them orders by the first, ties by the next; ties left after all of them go by key ascending, as in
 * Elasticsearch.
 */
public record BucketOrder(String path, boolean asc) {

    public static final BucketOrder COUNT_DESC = new BucketOrder("_count", false);
    public static final BucketOrder KEY_ASC = new BucketOrder("_key", true);

    public boolean isCount() {
        return path.equals("_count");
    }

    public boolean isKey() {
        return path.equals("_key");
    }

    /** Parses {@code {"_count":"desc"}} or an array of such objects. */
    public static List<BucketOrder> parse(JsonNode node, String agg) {
        List<BucketOrder> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode n : node) {
                out.addAll(parse(n, agg));
            }
            return out;
        }
        if (!node.isObject()) {
            throw InvalidRequestException.parsing("[order] of aggregation [" + agg + "] must be an object such as"
                    + " {\"_count\": \"desc\"} or an array of them");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String dir = e.getValue().asText();
            if (!dir.equalsIgnoreCase("asc") && !dir.equalsIgnoreCase("desc")) {
                throw InvalidRequestException.parsing("Unknown order direction [" + dir + "] in aggregation [" + agg
                        + "]; use asc or desc");
            }
            String key = e.getKey().equals("_term") ? "_key" : e.getKey();
            out.add(new BucketOrder(key, dir.equalsIgnoreCase("asc")));
        }
        return out;
    }

    /** Whether any of {@code orders} reads a sub-aggregation (so sub-results are needed to order). */
    public static boolean needsSubs(List<BucketOrder> orders) {
        return orders.stream().anyMatch(o -> !o.isCount() && !o.isKey());
    }

    /** The comparator of {@code orders}, ties by key ascending. */
    public static Comparator<Bucket> comparator(List<BucketOrder> orders) {
        Comparator<Bucket> c = null;
        for (BucketOrder o : orders) {
            Comparator<Bucket> next = o.single();
            c = c == null ? next : c.thenComparing(next);
        }
        Comparator<Bucket> byKey = KEY_ASC.single();
        return c == null ? byKey : c.thenComparing(byKey);
    }

    private Comparator<Bucket> single() {
        Comparator<Bucket> c;
        if (isKey()) {
            c = BucketOrder::compareKeys;
        } else if (isCount()) {
            c = Comparator.comparingLong(Bucket::docCount);
        } else {
            // buckets without the value go last whatever the direction, as Elasticsearch does
            Comparator<Bucket> byValue = (a, b) -> {
                double x = BucketPath.resolve(a, path);
                double y = BucketPath.resolve(b, path);
                boolean nx = Double.isNaN(x);
                boolean ny = Double.isNaN(y);
                if (nx || ny) {
                    return nx == ny ? 0 : nx ? (asc ? 1 : -1) : (asc ? -1 : 1);
                }
                return Double.compare(x, y);
            };
            c = byValue;
        }
        return asc ? c : c.reversed();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compareKeys(Bucket a, Bucket b) {
        Object x = a.key();
        Object y = b.key();
        if (x instanceof Number nx && y instanceof Number ny) {
            return x instanceof Long lx && y instanceof Long ly ? Long.compare(lx, ly)
                    : Double.compare(nx.doubleValue(), ny.doubleValue());
        }
        if (x instanceof Comparable cx && y != null && x.getClass() == y.getClass()) {
            return cx.compareTo(y);
        }
        return String.valueOf(x).compareTo(String.valueOf(y));
    }
}
