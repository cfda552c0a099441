package io.kccr.core.search.aggs;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.search.fetch.FetchOptions;
import io.kccr.core.search.query.Sorts;
import io.kccr.core.search.query.SortSpec;
import io.kccr.core.search.fetch.SourceFilter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/** Parses the metric aggregations' parameters into their factories. */
final class MetricParsers {
    private MetricParsers() {
    }

    /** The factory of a metric aggregation, or null when {@code p} is not one. */
    static AggregatorFactory metric(AggParams p, Mappings mappings, JsonNode meta) {
        return switch (p.type()) {
            case "min", "max", "sum", "avg", "value_count", "stats", "extended_stats" -> stats(p, mappings, meta);
            case "cardinality" -> cardinality(p, mappings, meta);
            case "percentiles" -> percentiles(p, mappings, meta);
            case "top_hits" -> topHits(p, mappings, meta);
            default -> null;
        };
    }

    private static AggregatorFactory stats(AggParams p, Mappings mappings, JsonNode meta) {
        StatsAggregation.Kind kind = StatsAggregation.Kind.valueOf(p.type().toUpperCase(Locale.ROOT));
        ValuesSource src = fieldSource(p, mappings);
        if (kind != StatsAggregation.Kind.VALUE_COUNT) {
            src.requireNumeric(p.type());
        }
        Double missing = missing(p, src);
        String format = p.string("format", null);
        double sigma = kind == StatsAggregation.Kind.EXTENDED_STATS ? p.number("sigma", 2.0) : 2.0;
        if (sigma < 0) {
            throw InvalidRequestException.illegalArgument("[sigma] must be greater than or equal to 0. Found [" + sigma
                    + "] in [" + p.name() + "]");
        }
        return new StatsAggregation.Factory(p.name(), kind, src, missing, ValueFormat.of(src, format, null), sigma,
                meta);
    }

    /**
     * The field an aggregation reads its values from: {@code field}, resolved against the mappings for the
     * aggregation's type and name. A {@code script} in its place is refused, since aggregations read fields only.
     */
    static ValuesSource fieldSource(AggParams p, Mappings mappings) {
        rejectScript(p);
        return ValuesSource.of(mappings, p.string("field", null), p.type(), p.name());
    }

    private static void rejectScript(AggParams p) {
        if (p.has("script")) {
            throw InvalidRequestException.illegalArgument("scripts are not supported by Kafka CCR; aggregate on a"
                    + " field of the mapping instead of [script] in aggregation [" + p.name() + "]");
        }
    }

    /** The {@code missing} value as a number (dates parsed with the field's format), or null. */
    static Double missing(AggParams p, ValuesSource src) {
        JsonNode v = p.get("missing");
        if (v == null) {
            return null;
        }
        if (src.isDate()) {
            return AggregationParser.dateValue(v, src, null, null);
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? 1.0 : 0.0;
        }
        if (src.isKeyword()) {
            return 1.0; // value_count: a document without values counts one
        }
        try {
            return v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("[missing] of aggregation [" + p.name() + "] must be a number"
                    + " for field [" + src.field() + "], got [" + v.asText() + "]");
        }
    }

    private static AggregatorFactory cardinality(AggParams p, Mappings mappings, JsonNode meta) {
        ValuesSource src = fieldSource(p, mappings);
        int threshold = p.integer("precision_threshold", HyperLogLogPlusPlus.DEFAULT_THRESHOLD);
        if (threshold < 0) {
            throw InvalidRequestException.illegalArgument("[precisionThreshold] must be greater than or equal to 0."
                    + " Found [" + threshold + "] in [" + p.name() + "]");
        }
        threshold = Math.min(threshold, HyperLogLogPlusPlus.MAX_THRESHOLD);
        p.get("execution_hint");
        JsonNode missing = p.get("missing");
        String missingText = missing == null ? null : src.isDate()
                ? Double.toString(AggregationParser.dateValue(missing, src, null, null)) : missing.asText();
        return new CardinalityAggregation.Factory(p.name(), src, threshold, missingText, meta);
    }

    private static AggregatorFactory percentiles(AggParams p, Mappings mappings, JsonNode meta) {
        ValuesSource src = fieldSource(p, mappings).requireNumeric(p.type());
        double[] percents = PercentilesAggregation.DEFAULT_PERCENTS;
        JsonNode ps = p.get("percents");
        if (ps != null) {
            if (!ps.isArray() || ps.isEmpty()) {
                throw InvalidRequestException.illegalArgument("[percents] must not be empty in [" + p.name() + "]");
            }
            percents = new double[ps.size()];
            for (int i = 0; i < percents.length; i++) {
                percents[i] = ps.get(i).asDouble();
                if (percents[i] < 0 || percents[i] > 100) {
                    throw InvalidRequestException.illegalArgument("percent must be in [0,100], got [" + percents[i]
                            + "]: [" + p.name() + "]");
                }
            }
        }
        double compression = 100;
        JsonNode td = p.get("tdigest");
        if (td != null) {
            AggParams t = new AggParams("tdigest", p.name(), td);
            compression = t.number("compression", 100);
            t.get("execution_hint");
            t.checkAllRead();
        }
        if (p.has("hdr")) {
            throw InvalidRequestException.illegalArgument("[hdr] percentiles are not supported by Kafka CCR; leave"
                    + " [hdr] out to use t-digest (optionally with tdigest.compression)");
        }
        if (p.has("method")) {
            throw InvalidRequestException.illegalArgument("[method] is not supported; percentiles use t-digest");
        }
        boolean keyed = p.bool("keyed", true);
        Double missing = missing(p, src);
        String format = p.string("format", null);
        return new PercentilesAggregation.Factory(p.name(), src, percents, compression, keyed, missing,
                ValueFormat.of(src, format, null), meta);
    }

    private static AggregatorFactory topHits(AggParams p, Mappings mappings, JsonNode meta) {
        int from = p.integer("from", 0);
        int size = p.integer("size", 3);
        if (from < 0 || size < 0) {
            throw InvalidRequestException.illegalArgument("[from] and [size] of top_hits [" + p.name() + "] must not be"
                    + " negative");
        }
        if (from + size > 100) {
            throw InvalidRequestException.illegalArgument("Top hits result window is too large, the top hits"
                    + " aggregator [" + p.name() + "]'s from + size must be less than or equal to: [100] but was ["
                    + (from + size) + "]. This limit can be set by changing the [index.max_inner_result_window] index"
                    + " level setting.");
        }
        JsonNode sortNode = p.get("sort");
        List<SortSpec> sort = sortNode == null ? List.of() : SortSpec.fromJson(sortNode);
        JsonNode source = p.get("_source");
        boolean version = p.bool("version", false);
        boolean seqNo = p.bool("seq_no_primary_term", false);
        boolean trackScores = p.bool("track_scores", false);
        p.get("explain");
        JsonNode dv = p.get("docvalue_fields");
        JsonNode fields = p.get("fields");
        FetchOptions fetch = new FetchOptions(source == null ? SourceFilter.FETCH_ALL : SourceFilter.fromJson(source),
                version, seqNo,
                dv == null ? List.of() : FetchOptions.FieldAndFormat.parseList("docvalue_fields", dv),
                fields == null ? List.of() : FetchOptions.FieldAndFormat.parseList("fields", fields), null, false);
        return new TopHitsAggregation.Factory(p.name(), from, size, Sorts.toSort(mappings, sort),
                trackScores, fetch, meta);
    }
}
