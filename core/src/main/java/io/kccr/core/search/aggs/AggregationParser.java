package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.search.query.DateParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses a request's {@code aggs} / {@code aggregations} against the index's mappings into factories: every
 * aggregation type, parameter and field is checked here, so a bad request is a 400 before anything runs.
 * Pipeline aggregations ({@code bucket_sort}, {@code derivative}) go to their parent bucket aggregation.
 */
public final class AggregationParser {
    static final Set<String> PIPELINES = Set.of("bucket_sort", "derivative");
    private final Mappings mappings;
    private final int numShards;

    private AggregationParser(Mappings mappings, int numShards) {
        this.mappings = mappings;
        this.numShards = numShards;
    }

    /** The top-level aggregations of {@code aggs}; {@code numShards} sets terms' default {@code shard_size}. */
    public static List<AggregatorFactory> parse(JsonNode aggs, Mappings mappings, int numShards) {
        AggregationParser p = new AggregationParser(mappings, numShards);
        List<PipelineAggregation> pipelines = new ArrayList<>();
        List<AggregatorFactory> out = p.level(aggs, pipelines, true);
        if (!pipelines.isEmpty()) {
            throw InvalidRequestException.illegalArgument("pipeline aggregation [" + pipelines.getFirst().name()
                    + "] must be declared inside a multi-bucket aggregation (e.g. a date_histogram's aggs)");
        }
        return out;
    }

    private List<AggregatorFactory> level(JsonNode aggs, List<PipelineAggregation> pipelines, boolean top) {
        if (!aggs.isObject()) {
            throw InvalidRequestException.parsing("[aggs] must be an object of named aggregations");
        }
        List<AggregatorFactory> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = aggs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (name.contains("[") || name.contains("]") || name.contains(">")) {
                throw InvalidRequestException.parsing("Invalid aggregation name [" + name + "]. Aggregation names can"
                        + " contain any character except '[', ']', and '>'");
            }
            one(name, e.getValue(), out, pipelines, top);
        }
        return out;
    }

    private void one(String name, JsonNode def, List<AggregatorFactory> out, List<PipelineAggregation> pipelines,
                     boolean top) {
        if (!def.isObject()) {
            throw InvalidRequestException.parsing("Expected [START_OBJECT] under [" + name + "], but got a "
                    + def.getNodeType());
        }
        String type = null;
        JsonNode params = null;
        JsonNode subs = null;
        JsonNode meta = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = def.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "aggs", "aggregations" -> subs = e.getValue();
                case "meta" -> meta = e.getValue();
                default -> {
                    if (type != null) {
                        throw InvalidRequestException.parsing("Found two aggregation type definitions in [" + name
                                + "]: [" + type + "] and [" + e.getKey() + "]");
                    }
                    type = e.getKey();
                    params = e.getValue();
                }
            }
        }
        if (type == null) {
            throw InvalidRequestException.parsing("Missing definition for aggregation [" + name + "]");
        }
        AggParams p = new AggParams(type, name, params);
        if (PIPELINES.contains(type)) {
            if (subs != null) {
                throw InvalidRequestException.illegalArgument("Aggregator [" + name + "] of type [" + type + "] cannot"
                        + " accept sub-aggregations");
            }
            pipelines.add(pipeline(p, meta));
            p.checkAllRead();
            return;
        }
        List<PipelineAggregation> childPipelines = new ArrayList<>();
        List<AggregatorFactory> children = subs == null ? List.of() : level(subs, childPipelines, false);
        AggregatorFactory f = MetricParsers.metric(p, mappings, meta);
        if (f != null) {
            if (subs != null) {
                throw InvalidRequestException.illegalArgument("Aggregator [" + name + "] of type [" + type + "] cannot"
                        + " accept sub-aggregations");
            }
        } else {
            f = BucketParsers.bucket(p, mappings, numShards, top, children, childPipelines, meta);
        }
        p.checkAllRead();
        out.add(f);
    }

    private static PipelineAggregation pipeline(AggParams p, JsonNode meta) {
        PipelineAggregation.GapPolicy gap = PipelineAggregation.GapPolicy.parse(p.string("gap_policy", "skip"));
        if (p.type().equals("bucket_sort")) {
            JsonNode sort = p.get("sort");
            List<BucketOrder> orders = new ArrayList<>();
            if (sort != null) {
                for (JsonNode s : sort.isArray() ? sort : List.of(sort)) {
                    if (s.isTextual()) {
                        orders.add(new BucketOrder(s.textValue(), true));
                    } else {
                        s.fields().forEachRemaining(e -> {
                            JsonNode order = e.getValue().isObject() ? e.getValue().get("order") : e.getValue();
                            orders.add(new BucketOrder(e.getKey(), order != null && order.asText().equals("asc")));
                        });
                    }
                }
            }
            int from = p.integer("from", 0);
            Integer size = p.has("size") ? p.integer("size", 0) : null;
            return new PipelineAggregation.BucketSort(p.name(), orders, from, size, gap);
        }
        String path = p.string("buckets_path", null);
        if (path == null) {
            throw InvalidRequestException.parsing("Required parameter [buckets_path] is missing in derivative ["
                    + p.name() + "]");
        }
        String unit = p.string("unit", null);
        Long unitMillis = null;
        if (unit != null) {
            unitMillis = switch (unit) {
                case "second", "1s" -> 1000L;
                case "minute", "1m" -> 60_000L;
                case "hour", "1h" -> 3_600_000L;
                case "day", "1d" -> 86_400_000L;
                case "week", "1w" -> 7 * 86_400_000L;
                default -> Rounding.parseDuration(unit, "derivative.unit");
            };
        }
        p.get("format");
        return new PipelineAggregation.Derivative(p.name(), path, gap, unitMillis, meta);
    }

    /** The request's {@code time_zone} (a region id or an offset), UTC by default. */
    static ZoneId zone(AggParams p) {
        String tz = p.string("time_zone", null);
        if (tz == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            throw InvalidRequestException.illegalArgument("Unknown time zone [" + tz + "]; use a region such as"
                    + " Europe/Paris or an offset such as +01:00");
        }
    }

    /** A date given as a number (epoch millis) or a string (in {@code format}, with date math). */
    static double dateValue(JsonNode v, ValuesSource source, String format, ZoneId zone) {
        if (v.isNumber()) {
            return v.doubleValue();
        }
        return DateParser.parse(v.asText(), format != null ? format : source.dateFormat(), false, zone);
    }
}
