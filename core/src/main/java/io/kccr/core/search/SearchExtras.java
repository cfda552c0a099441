package io.kccr.core.search;

import io.kccr.core.search.fetch.FetchOptions;
import io.kccr.core.search.fetch.HighlightRequest;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.settings.TimeValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The search body's options beyond query, paging and sorting: aggregations, highlighting, the extra hit fields,
 * collection limits and the point in time. Immutable.
 *
 * @param aggregations   {@code aggs} / {@code aggregations} as given (parsed against the mappings when run), or null
 * @param highlight      {@code highlight}, or null
 * @param docValueFields {@code docvalue_fields}
 * @param fields         {@code fields}
 * @param terminateAfter {@code terminate_after}: documents to collect per shard at most, 0 = all
 * @param timeoutMillis  {@code timeout}: milliseconds after which collection stops with partial results, -1 = none
 * @param noStoredFields {@code stored_fields: "_none_"}
 * @param pit            {@code pit}, or null
 */
public record SearchExtras(JsonNode aggregations, HighlightRequest highlight,
                           List<FetchOptions.FieldAndFormat> docValueFields, List<FetchOptions.FieldAndFormat> fields,
                           int terminateAfter, long timeoutMillis, boolean noStoredFields, PitRef pit) {

    public static final SearchExtras NONE = new SearchExtras(null, null, List.of(), List.of(), 0, -1, false, null);

    /** {@code pit}: {@code {"id": "...", "keep_alive": "1m"}}; {@code keepAlive} null keeps the current one. */
    public record PitRef(String id, String keepAlive) {
    }

    public SearchExtras {
        docValueFields = List.copyOf(docValueFields);
        fields = List.copyOf(fields);
    }

    /** A builder-ish copy per key, for {@link SearchRequest#parse}: returns null when {@code key} is not one of these. */
    static SearchExtras with(SearchExtras e, String key, JsonNode v) {
        return switch (key) {
            case "aggs", "aggregations" -> {
                if (e.aggregations != null) {
                    throw InvalidRequestException.parsing("Found two aggregation definitions: use either [aggs] or"
                            + " [aggregations], once");
                }
                if (!v.isObject()) {
                    throw InvalidRequestException.parsing("[" + key + "] must be an object of named aggregations");
                }
                yield new SearchExtras(v, e.highlight, e.docValueFields, e.fields, e.terminateAfter, e.timeoutMillis,
                        e.noStoredFields, e.pit);
            }
            case "highlight" -> new SearchExtras(e.aggregations, HighlightRequest.parse(v), e.docValueFields, e.fields,
                    e.terminateAfter, e.timeoutMillis, e.noStoredFields, e.pit);
            case "docvalue_fields" -> new SearchExtras(e.aggregations, e.highlight,
                    FetchOptions.FieldAndFormat.parseList(key, v), e.fields, e.terminateAfter, e.timeoutMillis,
                    e.noStoredFields, e.pit);
            case "fields" -> new SearchExtras(e.aggregations, e.highlight, e.docValueFields,
                    FetchOptions.FieldAndFormat.parseList(key, v), e.terminateAfter, e.timeoutMillis, e.noStoredFields,
                    e.pit);
            case "terminate_after" -> {
                int n = v.asInt(-1);
                if (!v.canConvertToInt() && !v.isTextual() || n < 0) {
                    throw InvalidRequestException.illegalArgument("terminateAfter must be > 0, got [" + v + "]");
                }
                yield new SearchExtras(e.aggregations, e.highlight, e.docValueFields, e.fields, n, e.timeoutMillis,
                        e.noStoredFields, e.pit);
            }
            case "timeout" -> new SearchExtras(e.aggregations, e.highlight, e.docValueFields, e.fields,
                    e.terminateAfter, timeMillis(v.asText(), "timeout"), e.noStoredFields, e.pit);
            case "stored_fields" -> {
                boolean none = v.isTextual() && v.textValue().equals("_none_");
                yield new SearchExtras(e.aggregations, e.highlight, e.docValueFields, e.fields, e.terminateAfter,
                        e.timeoutMillis, none, e.pit);
            }
            case "pit" -> {
                if (!v.isObject() || !v.has("id")) {
                    throw InvalidRequestException.parsing("[pit] must be an object with an [id] (and optionally a"
                            + " [keep_alive])");
                }
                v.fieldNames().forEachRemaining(k -> {
                    if (!k.equals("id") && !k.equals("keep_alive")) {
                        throw InvalidRequestException.parsing("[pit] unknown field [" + k + "]");
                    }
                });
                yield new SearchExtras(e.aggregations, e.highlight, e.docValueFields, e.fields, e.terminateAfter,
                        e.timeoutMillis, e.noStoredFields, new PitRef(v.get("id").asText(),
                        v.has("keep_alive") ? v.get("keep_alive").asText() : null));
            }
            default -> null;
        };
    }

    /**
     * A time value ({@code 10ms}, {@code 1s}, {@code 1m}, {@code 2h}, {@code 1d}; {@code -1} = none) in
     * milliseconds; a bad one is a 400 naming {@code what}.
     */
    public static long timeMillis(String value, String what) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("-1")) {
            return -1;
        }
        // lower-cased first, so that an upper-case M is minutes here too
        TimeValue.NumberAndUnit split = TimeValue.splitUnit(v);
        if (split == null) {
            throw badTime(value, what);
        }
        try {
            long n = Long.parseLong(split.number().trim());
            if (n < 0) {
                throw badTime(value, what);
            }
            TimeUnit unit = split.unit();
            if (unit == TimeUnit.NANOSECONDS || unit == TimeUnit.MICROSECONDS) {
                return n > 0 ? 1 : 0; // nanos and micros: a positive span counts as 1ms
            }
            return n * unit.toMillis(1);
        } catch (NumberFormatException e) {
            throw badTime(value, what);
        }
    }

    private static InvalidRequestException badTime(String value, String what) {
        return InvalidRequestException.parse("failed to parse setting [" + what + "] with value [" + value + "] as a"
                + " time value: unit is missing or unrecognized; use e.g. 500ms, 30s, 1m");
    }
}
