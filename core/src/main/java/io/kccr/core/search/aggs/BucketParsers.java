package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.Mappings;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;

/** Parses the bucket aggregations' parameters into their factories. */
final class BucketParsers {
    private BucketParsers() {
    }

    static AggregatorFactory bucket(AggParams p, Mappings mappings, int numShards, boolean top,
                                    List<AggregatorFactory> subs, List<PipelineAggregation> pipelines, JsonNode meta) {
        return switch (p.type()) {
            case "terms" -> terms(p, mappings, numShards, subs, pipelines, meta);
            case "histogram", "date_histogram" -> histogram(p, mappings, subs, pipelines, meta);
            case "range", "date_range" -> range(p, mappings, subs, pipelines, meta);
            case "filter" -> new SingleBucketAggregation.Factory(p.name(), "filter",
                    AggregationContext.toQuery(mappings, p.whole()), null,
                    subs, pipelines, meta);
            case "missing" -> {
                ValuesSource src = MetricParsers.fieldSource(p, mappings);
                yield new SingleBucketAggregation.Factory(p.name(), "missing", null, src, subs, pipelines, meta);
            }
            case "filters" -> filters(p, mappings, subs, pipelines, meta);
            case "composite" -> {
                if (!top) {
                    throw InvalidRequestException.illegalArgument("[composite] aggregation cannot be used with a"
                            + " parent aggregation: declare [" + p.name() + "] at the top level");
                }
                yield composite(p, mappings, subs, pipelines, meta);
            }
            default -> throw InvalidRequestException.parsing("Unknown aggregation type [" + p.type() + "]; Kafka CCR"
                    + " supports terms, histogram, date_histogram, range, date_range, filter, filters, missing,"
                    + " composite, min, max, sum, avg, value_count, stats, extended_stats, cardinality, percentiles,"
                    + " top_hits, bucket_sort and derivative");
        };
    }

    private static AggregatorFactory terms(AggParams p, Mappings mappings, int numShards, List<AggregatorFactory> subs,
                                           List<PipelineAggregation> pipelines, JsonNode meta) {
        ValuesSource src = MetricParsers.fieldSource(p, mappings);
        int size = p.integer("size", 10);
        if (size <= 0) {
            throw InvalidRequestException.illegalArgument("[size] must be greater than 0. Found [" + size + "] in ["
                    + p.name() + "]");
        }
        int shardSize = p.has("shard_size") ? p.integer("shard_size", -1)
                : numShards == 1 ? size : (int) Math.min(Integer.MAX_VALUE, size * 1.5 + 10);
        if (shardSize <= 0) {
            throw InvalidRequestException.illegalArgument("[shard_size] must be greater than 0. Found [" + shardSize
                    + "] in [" + p.name() + "]");
        }
        shardSize = Math.max(shardSize, size);
        long minDocCount = p.integer("min_doc_count", 1);
        if (minDocCount < 1) {
            throw InvalidRequestException.illegalArgument("[min_doc_count] of terms [" + p.name() + "] must be 1 or"
                    + " more in Kafka CCR (terms with no matching document are not listed)");
        }
        long shardMinDocCount = p.integer("shard_min_doc_count", 0);
        List<BucketOrder> order = p.has("order") ? BucketOrder.parse(p.get("order"), p.name())
                : List.of(BucketOrder.COUNT_DESC);
        checkOrderPaths(order, subs, p.name());
        JsonNode missingNode = p.get("missing");
        String missing = null;
        if (missingNode != null) {
            missing = src.isDate() ? Long.toString((long) AggregationParser.dateValue(missingNode, src, null, null))
                    : missingNode.isBoolean() ? (missingNode.booleanValue() ? "1" : "0") : missingNode.asText();
            if (src.isNumeric()) {
                try {
                    Double.parseDouble(missing);
                } catch (NumberFormatException e) {
                    throw InvalidRequestException.illegalArgument("[missing] of terms [" + p.name() + "] must be a"
                            + " number for field [" + src.field() + "]");
                }
            }
        }
        for (String unsupported : List.of("include", "exclude", "collect_mode", "value_type")) {
            if (p.has(unsupported)) {
                throw InvalidRequestException.illegalArgument("[" + unsupported + "] of terms aggregation [" + p.name()
                        + "] is not supported by Kafka CCR; filter the documents with the query (or a filter"
                        + " aggregation) instead");
            }
        }
        p.get("execution_hint");
        boolean showError = p.bool("show_term_doc_count_error", false);
        String format = p.string("format", null);
        return new TermsAggregation.Factory(p.name(), src, size, shardSize, minDocCount, shardMinDocCount, order,
                missing, ValueFormat.of(src, format, null), showError, subs, pipelines, meta);
    }

    private static void checkOrderPaths(List<BucketOrder> order, List<AggregatorFactory> subs, String agg) {
        for (BucketOrder o : order) {
            if (o.isKey() || o.isCount()) {
                continue;
            }
            String first = o.path().split("[.\\[>]")[0];
            if (subs.stream().noneMatch(s -> s.name().equals(first))) {
                throw InvalidRequestException.illegalArgument("Invalid aggregator order path [" + o.path() + "]. The"
                        + " provided aggregation [" + first + "] either does not exist, or is a pipeline aggregation"
                        + " and cannot be used to sort the buckets of [" + agg + "]");
            }
        }
    }

    private static AggregatorFactory histogram(AggParams p, Mappings mappings, List<AggregatorFactory> subs,
                                               List<PipelineAggregation> pipelines, JsonNode meta) {
        boolean date = p.type().equals("date_histogram");
        ValuesSource src = MetricParsers.fieldSource(p, mappings).requireNumeric(p.type());
        if (date && src.isMapped() && !src.isDate()) {
            throw InvalidRequestException.illegalArgument("Field [" + src.field() + "] of type [" + src.type().jsonName()
                    + "] is not supported for aggregation [date_histogram]");
        }
        String format = p.string("format", null);
        ZoneId zone = date ? AggregationParser.zone(p) : ZoneOffset.UTC;
        double interval = 0;
        double offset = 0;
        Rounding rounding = null;
        if (date) {
            long offsetMillis = p.has("offset") ? Rounding.parseDuration(p.string("offset", "0ms"),
                    "date_histogram.offset") : 0;
            if (p.has("interval")) {
                throw InvalidRequestException.illegalArgument("[interval] on [date_histogram] is not supported: use"
                        + " [calendar_interval] (1d, 1M, ...) or [fixed_interval] (30m, 7d, ...)");
            }
            String calendar = p.string("calendar_interval", null);
            String fixed = p.string("fixed_interval", null);
            if ((calendar == null) == (fixed == null)) {
                throw InvalidRequestException.illegalArgument("date_histogram [" + p.name() + "] needs exactly one of"
                        + " [calendar_interval] or [fixed_interval]");
            }
            rounding = calendar != null ? Rounding.calendar(calendar, zone, offsetMillis)
                    : Rounding.fixed(fixed, zone, offsetMillis);
        } else {
            interval = p.number("interval", -1);
            if (interval <= 0) {
                throw InvalidRequestException.illegalArgument("[interval] must be >0 for histogram aggregation ["
                        + p.name() + "]");
            }
            offset = p.number("offset", 0);
        }
        long minDocCount = p.integer("min_doc_count", 0);
        if (minDocCount < 0) {
            throw InvalidRequestException.illegalArgument("[min_doc_count] must not be negative in [" + p.name() + "]");
        }
        double lo = Double.NaN;
        double hi = Double.NaN;
        JsonNode bounds = p.get("extended_bounds");
        if (bounds != null) {
            AggParams b = new AggParams("extended_bounds", p.name(), bounds);
            JsonNode min = b.get("min");
            JsonNode max = b.get("max");
            b.checkAllRead();
            lo = min == null ? Double.NaN : date ? AggregationParser.dateValue(min, src, format, zone) : min.asDouble();
            hi = max == null ? Double.NaN : date ? AggregationParser.dateValue(max, src, format, zone) : max.asDouble();
            if (!Double.isNaN(lo) && !Double.isNaN(hi) && lo > hi) {
                throw InvalidRequestException.illegalArgument("[extended_bounds.min][" + lo + "] cannot be greater than"
                        + " [extended_bounds.max][" + hi + "] for histogram aggregation [" + p.name() + "]");
            }
        }
        if (p.has("hard_bounds")) {
            throw InvalidRequestException.illegalArgument("[hard_bounds] is not supported by Kafka CCR; narrow the"
                    + " query with a range instead");
        }
        List<BucketOrder> order = p.has("order") ? BucketOrder.parse(p.get("order"), p.name())
                : List.of(BucketOrder.KEY_ASC);
        checkOrderPaths(order, subs, p.name());
        boolean keyed = p.bool("keyed", false);
        Double missing = MetricParsers.missing(p, src);
        return new HistogramAggregation.Factory(p.name(), date, src, interval, offset, rounding, minDocCount, lo, hi,
                order, keyed, missing, ValueFormat.of(src, format, zone), subs, pipelines, meta);
    }

    private static AggregatorFactory range(AggParams p, Mappings mappings, List<AggregatorFactory> subs,
                                           List<PipelineAggregation> pipelines, JsonNode meta) {
        boolean date = p.type().equals("date_range");
        ValuesSource src = MetricParsers.fieldSource(p, mappings).requireNumeric(p.type());
        String format = p.string("format", null);
        ZoneId zone = date ? AggregationParser.zone(p) : ZoneOffset.UTC;
        ValueFormat vf = date ? ValueFormat.of(src.isMapped() ? src : new ValuesSource(src.field(),
                io.kccr.core.mapping.FieldType.DATE, null), format, zone) : ValueFormat.of(src, format, null);
        JsonNode rs = p.get("ranges");
        if (rs == null || !rs.isArray() || rs.isEmpty()) {
            throw InvalidRequestException.illegalArgument("No [ranges] specified for the [" + p.name() + "]"
                    + " aggregation");
        }
        List<RangeAggregation.Range> ranges = new ArrayList<>();
        for (JsonNode r : rs) {
            AggParams rp = new AggParams("range", p.name(), r);
            String key = rp.string("key", null);
            JsonNode from = rp.get("from");
            JsonNode to = rp.get("to");
            rp.checkAllRead();
            double lo = from == null ? Double.NEGATIVE_INFINITY : date ? AggregationParser.dateValue(from, src, format,
                    zone) : from.asDouble();
            double hi = to == null ? Double.POSITIVE_INFINITY : date ? AggregationParser.dateValue(to, src, format,
                    zone) : to.asDouble();
            ranges.add(new RangeAggregation.Range(key, lo, hi));
        }
        ranges.sort(Comparator.comparingDouble(RangeAggregation.Range::from)
                .thenComparingDouble(RangeAggregation.Range::to));
        boolean keyed = p.bool("keyed", false);
        Double missing = MetricParsers.missing(p, src);
        return new RangeAggregation.Factory(p.name(), date, src, ranges, keyed, missing, vf, subs, pipelines, meta);
    }

    private static AggregatorFactory filters(AggParams p, Mappings mappings, List<AggregatorFactory> subs,
                                             List<PipelineAggregation> pipelines, JsonNode meta) {
        JsonNode fs = p.get("filters");
        if (fs == null) {
            throw InvalidRequestException.parsing("[filters] aggregation [" + p.name() + "] requires [filters]");
        }
        List<String> keys = null;
        List<Query> queries = new ArrayList<>();
        if (fs.isObject()) {
            keys = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = fs.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                keys.add(e.getKey());
                queries.add(AggregationContext.toQuery(mappings, e.getValue()));
            }
        } else if (fs.isArray()) {
            for (JsonNode q : fs) {
                queries.add(AggregationContext.toQuery(mappings, q));
            }
        } else {
            throw InvalidRequestException.parsing("[filters] of aggregation [" + p.name() + "] must be an object or an"
                    + " array of queries");
        }
        boolean other = p.bool("other_bucket", false);
        String otherKey = p.string("other_bucket_key", null);
        if (otherKey != null) {
            other = true;
        }
        p.get("keyed");
        return new FiltersAggregation.Factory(p.name(), keys, queries, other ? (otherKey == null ? "_other_" : otherKey)
                : null, subs, pipelines, meta);
    }

    private static AggregatorFactory composite(AggParams p, Mappings mappings, List<AggregatorFactory> subs,
                                               List<PipelineAggregation> pipelines, JsonNode meta) {
        JsonNode ss = p.get("sources");
        if (ss == null || !ss.isArray() || ss.isEmpty()) {
            throw InvalidRequestException.illegalArgument("Composite [sources] cannot be null or empty in ["
                    + p.name() + "]");
        }
        List<CompositeAggregation.Source> sources = new ArrayList<>();
        for (JsonNode s : ss) {
            if (!s.isObject() || s.size() != 1) {
                throw InvalidRequestException.parsing("each composite source must be an object with one named source");
            }
            Map.Entry<String, JsonNode> named = s.fields().next();
            JsonNode def = named.getValue();
            if (!def.isObject() || def.size() != 1) {
                throw InvalidRequestException.parsing("composite source [" + named.getKey() + "] must have one type");
            }
            Map.Entry<String, JsonNode> typed = def.fields().next();
            String kind = typed.getKey();
            if (!kind.equals("terms") && !kind.equals("histogram") && !kind.equals("date_histogram")) {
                throw InvalidRequestException.parsing("Unknown composite source type [" + kind + "]; use terms,"
                        + " histogram or date_histogram");
            }
            AggParams sp = new AggParams(kind, named.getKey(), typed.getValue());
            ValuesSource src = MetricParsers.fieldSource(sp, mappings);
            boolean asc = !"desc".equals(sp.string("order", "asc"));
            boolean missingBucket = sp.bool("missing_bucket", false);
            sp.get("missing_order");
            String format = sp.string("format", null);
            ZoneId zone = ZoneOffset.UTC;
            double interval = 0;
            Rounding rounding = null;
            if (kind.equals("histogram")) {
                src.requireNumeric(kind);
                interval = sp.number("interval", -1);
                if (interval <= 0) {
                    throw InvalidRequestException.illegalArgument("[interval] must be > 0 for composite histogram"
                            + " source [" + named.getKey() + "]");
                }
            } else if (kind.equals("date_histogram")) {
                src.requireNumeric(kind);
                zone = AggregationParser.zone(sp);
                long offset = sp.has("offset") ? Rounding.parseDuration(sp.string("offset", "0ms"), "offset") : 0;
                String calendar = sp.string("calendar_interval", null);
                String fixed = sp.string("fixed_interval", null);
                if ((calendar == null) == (fixed == null)) {
                    throw InvalidRequestException.illegalArgument("composite date_histogram source [" + named.getKey()
                            + "] needs exactly one of [calendar_interval] or [fixed_interval]");
                }
                rounding = calendar != null ? Rounding.calendar(calendar, zone, offset)
                        : Rounding.fixed(fixed, zone, offset);
            }
            sp.checkAllRead();
            sources.add(new CompositeAggregation.Source(named.getKey(), kind, src, interval, rounding, asc,
                    missingBucket, ValueFormat.of(src, format, zone)));
        }
        int size = p.integer("size", 10);
        if (size <= 0) {
            throw InvalidRequestException.illegalArgument("[size] must be greater than 0 in composite [" + p.name() + "]");
        }
        List<Object> after = null;
        JsonNode a = p.get("after");
        if (a != null) {
            after = new ArrayList<>();
            for (CompositeAggregation.Source s : sources) {
                JsonNode v = a.get(s.name());
                if (v == null) {
                    throw InvalidRequestException.illegalArgument("Missing value for [after." + s.name() + "]; give the"
                            + " after_key of the previous page as it was returned");
                }
                after.add(afterValue(v, s));
            }
        }
        return new CompositeAggregation.Factory(p.name(), sources, size, after, subs, pipelines, meta);
    }

    private static Object afterValue(JsonNode v, CompositeAggregation.Source s) {
        if (v.isNull()) {
            return null;
        }
        ValuesSource src = s.values();
        return switch (s.kind()) {
            case "date_histogram" -> v.isNumber() ? v.longValue()
                    : (long) AggregationParser.dateValue(v, src, null, null);
            case "histogram" -> v.asDouble();
            default -> !src.isMapped() || src.isKeyword() ? v.asText()
                    : src.isFloatingPoint() ? (Object) v.asDouble() : (Object) v.asLong();
        };
    }
}
