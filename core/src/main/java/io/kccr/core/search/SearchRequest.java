package io.kccr.core.search;

import io.kccr.core.search.fetch.FetchOptions;
import io.kccr.core.search.fetch.SourceFilter;
import io.kccr.core.search.query.DslParsing;
import io.kccr.core.search.query.QueryDsl;
import io.kccr.core.search.query.SortSpec;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed {@code _search} request: the body's search source with the URL parameters applied over
 * it, as Elasticsearch does. The query stays JSON; {@link QueryDsl} turns it into Lucene against
 * the index's mappings when the search runs.
 *
 * @param query              the query DSL object (never null; {@code {"match_all":{}}} by default)
 * @param postFilter         the {@code post_filter} query, or null
 * @param from               hits to skip
 * @param size               hits to return
 * @param sort               sort criteria; empty means by relevance without {@code sort} values
 * @param source             what of {@code _source} each hit returns
 * @param trackTotalHitsUpTo count hits accurately up to this many ({@link #TRACK_TOTAL_HITS_ACCURATE}
 *                           = all); {@link #TRACK_TOTAL_HITS_DISABLED} omits {@code hits.total}
 * @param trackScores        compute {@code _score} even when sorting on fields
 * @param seqNoPrimaryTerm   return {@code _seq_no} and {@code _primary_term} per hit
 * @param version            return {@code _version} per hit
 * @param searchAfter        the sort values to continue after, or null
 * @param extras             aggregations, highlighting, extra hit fields, collection limits, point in time
 */
public record SearchRequest(
        JsonNode query,
        JsonNode postFilter,
        int from,
        int size,
        List<SortSpec> sort,
        SourceFilter source,
        int trackTotalHitsUpTo,
        boolean trackScores,
        boolean seqNoPrimaryTerm,
        boolean version,
        List<JsonNode> searchAfter,
        SearchExtras extras) {

    public static final int DEFAULT_SIZE = 10;
    public static final int DEFAULT_TRACK_TOTAL_HITS_UP_TO = 10_000;
    public static final int TRACK_TOTAL_HITS_ACCURATE = Integer.MAX_VALUE;
    public static final int TRACK_TOTAL_HITS_DISABLED = -1;
    /** Elasticsearch's default {@code index.max_result_window}. */
    public static final int DEFAULT_MAX_RESULT_WINDOW = 10_000;

    /** Body keys that are accepted and change nothing in the answer ({@code stats} only tags statistics groups). */
    private static final Set<String> IGNORED = Set.of("stats");
    /** Elasticsearch search-body keys this product does not implement. */
    private static final Set<String> UNSUPPORTED = Set.of("suggest", "rescore", "collapse", "knn",
            "min_score", "script_fields", "runtime_mappings", "indices_boost",
            "slice", "retriever", "ext", "point_in_time", "sub_searches", "rank");

    public SearchRequest {
        query = query == null || query.isNull() ? matchAll() : query;
        sort = sort == null ? List.of() : List.copyOf(sort);
        source = source == null ? SourceFilter.FETCH_ALL : source;
        searchAfter = searchAfter == null ? null : List.copyOf(searchAfter);
        extras = extras == null ? SearchExtras.NONE : extras;
    }

    /** A request without {@link SearchExtras}. */
    public SearchRequest(JsonNode query, JsonNode postFilter, int from, int size, List<SortSpec> sort,
                         SourceFilter source, int trackTotalHitsUpTo, boolean trackScores, boolean seqNoPrimaryTerm,
                         boolean version, List<JsonNode> searchAfter) {
        this(query, postFilter, from, size, sort, source, trackTotalHitsUpTo, trackScores, seqNoPrimaryTerm, version,
                searchAfter, SearchExtras.NONE);
    }

    /** A copy continuing after {@code values} (scroll and point-in-time paging). */
    public SearchRequest withSearchAfter(List<JsonNode> values, List<SortSpec> newSort) {
        return new SearchRequest(query, postFilter, 0, size, newSort, source, trackTotalHitsUpTo, trackScores,
                seqNoPrimaryTerm, version, values, extras);
    }

    /** What each hit carries. */
    public FetchOptions fetchOptions() {
        return new FetchOptions(source, version, seqNoPrimaryTerm, extras.docValueFields(), extras.fields(),
                extras.highlight(), extras.noStoredFields());
    }

    /** The defaults: match_all, from 0, size 10, by score, whole source, totals up to 10,000. */
    public static SearchRequest defaults() {
        return new SearchRequest(matchAll(), null, 0, DEFAULT_SIZE, List.of(), SourceFilter.FETCH_ALL,
                DEFAULT_TRACK_TOTAL_HITS_UP_TO, false, false, false, null);
    }

    private static ObjectNode matchAll() {
        ObjectNode q = JsonNodeFactory.instance.objectNode();
        q.putObject("match_all");
        return q;
    }

    /** {@link #parse(JsonNode, Map, int)} with Elasticsearch's default result window of 10,000. */
    public static SearchRequest parse(JsonNode body, Map<String, String> urlParams) {
        return parse(body, urlParams, DEFAULT_MAX_RESULT_WINDOW);
    }

    /**
     * Parses a search body (null or missing = empty) and applies the URL parameters {@code q}
     * (with {@code df}, {@code default_operator}, {@code lenient}), {@code from}, {@code size},
     * {@code sort}, {@code _source}, {@code _source_includes}, {@code _source_excludes},
     * {@code track_total_hits}, {@code track_scores}, {@code seq_no_primary_term} and {@code version}.
     * Other URL parameters are left to the caller.
     *
     * @throws KccrException 400 {@code parsing_exception} for unknown or malformed keys,
     *                      {@code illegal_argument_exception} for bad values, a window past
     *                      {@code maxResultWindow}, or features not supported here (aggregations)
     */
    public static SearchRequest parse(JsonNode body, Map<String, String> urlParams, int maxResultWindow) {
        Map<String, String> params = urlParams == null ? Map.of() : urlParams;
        JsonNode query = null;
        JsonNode postFilter = null;
        int from = 0;
        int size = DEFAULT_SIZE;
        List<SortSpec> sort = List.of();
        SourceFilter source = SourceFilter.FETCH_ALL;
        int trackTotalHits = DEFAULT_TRACK_TOTAL_HITS_UP_TO;
        boolean trackScores = false;
        boolean seqNoPrimaryTerm = false;
        boolean version = false;
        List<JsonNode> searchAfter = null;
        SearchExtras extras = SearchExtras.NONE;

        if (body != null && !body.isNull() && !body.isMissingNode()) {
            if (!body.isObject()) {
                throw InvalidRequestException.parsing("request body must be a JSON object, found [" + DslParsing.token(body) + "]");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                JsonNode v = e.getValue();
                switch (k) {
                    case "query" -> query = object(k, v);
                    case "post_filter" -> postFilter = object(k, v);
                    case "from" -> from = intValue(k, v);
                    case "size" -> size = intValue(k, v);
                    case "sort" -> sort = SortSpec.fromJson(v);
                    case "_source" -> source = SourceFilter.fromJson(v);
                    case "track_total_hits" -> trackTotalHits = trackTotalHits(k, v);
                    case "track_scores" -> trackScores = bool(k, v);
                    case "seq_no_primary_term" -> seqNoPrimaryTerm = bool(k, v);
                    case "version" -> version = bool(k, v);
                    case "search_after" -> {
                        if (!v.isArray()) {
                            throw unknownKey(k, v);
                        }
                        searchAfter = new ArrayList<>();
                        v.forEach(searchAfter::add);
                    }
                    case "explain", "profile" -> {
                        if (bool(k, v)) {
                            throw InvalidRequestException.illegalArgument("[" + k + "] is not supported by Kafka CCR search;"
                                    + " remove it or set it to false");
                        }
                    }
                    default -> {
                        SearchExtras withKey = SearchExtras.with(extras, k, v);
                        if (withKey != null) {
                            extras = withKey;
                            continue;
                        }
                        if (IGNORED.contains(k)) {
                            continue;
                        }
                        if (UNSUPPORTED.contains(k)) {
                            throw InvalidRequestException.illegalArgument("[" + k + "] is not supported by Kafka CCR search;"
                                    + " remove it from the request");
                        }
                        throw unknownKey(k, v);
                    }
                }
            }
        }

        if (params.get("q") != null) {
            query = urlQuery(params, true);
        }
        if (params.get("from") != null) {
            from = paramInt("from", params.get("from"));
        }
        if (params.get("size") != null) {
            size = paramInt("size", params.get("size"));
        }
        if (params.get("sort") != null) {
            sort = SortSpec.fromUrl(params.get("sort"));
        }
        source = SourceFilter.fromUrl(source, params.get("_source"), params.get("_source_includes"),
                params.get("_source_excludes"));
        if (params.get("track_total_hits") != null) {
            String t = params.get("track_total_hits");
            if (t.isEmpty() || t.equals("true")) {
                trackTotalHits = TRACK_TOTAL_HITS_ACCURATE;
            } else if (t.equals("false")) {
                trackTotalHits = TRACK_TOTAL_HITS_DISABLED;
            } else {
                trackTotalHits = checkTrackTotalHits(paramInt("track_total_hits", t));
            }
        }
        if (params.get("track_scores") != null) {
            trackScores = paramBool("track_scores", params.get("track_scores"));
        }
        if (params.get("seq_no_primary_term") != null) {
            seqNoPrimaryTerm = paramBool("seq_no_primary_term", params.get("seq_no_primary_term"));
        }
        if (params.get("version") != null) {
            version = paramBool("version", params.get("version"));
        }

        if (from < 0) {
            throw InvalidRequestException.illegalArgument("[from] parameter cannot be negative, found [" + from + "]");
        }
        if (size < 0) {
            throw InvalidRequestException.illegalArgument("[size] parameter cannot be negative, found [" + size + "]");
        }
        if ((long) from + size > maxResultWindow) {
            throw InvalidRequestException.illegalArgument("Result window is too large, from + size must be less than or equal to: ["
                    + maxResultWindow + "] but was [" + ((long) from + size) + "]. See the scroll api for a more"
                    + " efficient way to request large data sets. This limit can be set by changing the"
                    + " [index.max_result_window] index level setting.");
        }
        if (searchAfter != null && extras.pit() == null) { // with a pit, the implicit _shard_doc tiebreaker counts too
            if (from > 0) {
                throw InvalidRequestException.illegalArgument("`from` parameter must be set to 0 when `search_after` is used.");
            }
            if (sort.isEmpty()) {
                throw InvalidRequestException.illegalArgument("[search_after] requires a [sort]; add a sort on a unique field");
            }
            if (searchAfter.size() != sort.size()) {
                throw InvalidRequestException.illegalArgument("search_after has " + searchAfter.size()
                        + " value(s) but sort has " + sort.size() + ".");
            }
        }
        if (params.get("terminate_after") != null) {
            extras = SearchExtras.with(extras, "terminate_after",
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(params.get("terminate_after")));
        }
        if (params.get("timeout") != null) {
            extras = SearchExtras.with(extras, "timeout",
                    com.fasterxml.jackson.databind.node.TextNode.valueOf(params.get("timeout")));
        }
        if (params.get("docvalue_fields") != null) {
            com.fasterxml.jackson.databind.node.ArrayNode dv = JsonNodeFactory.instance.arrayNode();
            for (String f : params.get("docvalue_fields").split(",")) {
                dv.add(f.trim());
            }
            extras = SearchExtras.with(extras, "docvalue_fields", dv);
        }
        return new SearchRequest(query, postFilter, from, size, sort, source, trackTotalHits, trackScores,
                seqNoPrimaryTerm, version, searchAfter, extras);
    }

    /**
     * The query of a {@code _count} request: the body's {@code query} (the only key allowed there)
     * or the URL's {@code q}; match_all when neither is given.
     */
    public static JsonNode parseCountQuery(JsonNode body, Map<String, String> urlParams) {
        Map<String, String> params = urlParams == null ? Map.of() : urlParams;
        JsonNode query = null;
        if (body != null && !body.isNull() && !body.isMissingNode()) {
            if (!body.isObject()) {
                throw InvalidRequestException.parsing("request body must be a JSON object, found [" + DslParsing.token(body) + "]");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("query")) {
                    throw InvalidRequestException.parsing("request does not support [" + e.getKey() + "]");
                }
                query = object("query", e.getValue());
            }
        }
        if (params.get("q") != null) {
            query = urlQuery(params, false);
        }
        return query == null ? matchAll() : query;
    }

    /**
     * The URL's {@code q} as a {@code query_string} query, with the URL parameters that shape it: {@code df},
     * {@code default_operator}, {@code lenient} and, when {@code withAnalyzer}, {@code analyzer}.
     */
    private static ObjectNode urlQuery(Map<String, String> params, boolean withAnalyzer) {
        ObjectNode qs = JsonNodeFactory.instance.objectNode();
        ObjectNode inner = qs.putObject("query_string");
        inner.put("query", params.get("q"));
        if (params.get("df") != null) {
            inner.put("default_field", params.get("df"));
        }
        if (params.get("default_operator") != null) {
            inner.put("default_operator", params.get("default_operator"));
        }
        if (params.get("lenient") != null) {
            inner.put("lenient", paramBool("lenient", params.get("lenient")));
        }
        if (withAnalyzer && params.get("analyzer") != null) {
            inner.put("analyzer", params.get("analyzer"));
        }
        return qs;
    }

    private static JsonNode object(String key, JsonNode v) {
        if (!v.isObject()) {
            throw unknownKey(key, v);
        }
        return v;
    }

    private static int intValue(String key, JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.intValue();
        }
        if (v.isNumber()) {
            return (int) v.doubleValue();
        }
        if (v.isTextual()) {
            try {
                return Integer.parseInt(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw InvalidRequestException.parsing("[" + key + "] failed to parse field [" + key + "]: For input string: \""
                        + v.textValue() + "\"");
            }
        }
        throw unknownKey(key, v);
    }

    private static boolean bool(String key, JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
            return Boolean.parseBoolean(v.textValue());
        }
        throw unknownKey(key, v);
    }

    private static int trackTotalHits(String key, JsonNode v) {
        if (v.isBoolean()) {
            return v.booleanValue() ? TRACK_TOTAL_HITS_ACCURATE : TRACK_TOTAL_HITS_DISABLED;
        }
        if (v.isNumber() || v.isTextual()) {
            return checkTrackTotalHits(intValue(key, v));
        }
        throw unknownKey(key, v);
    }

    private static int checkTrackTotalHits(int n) {
        if (n < -1) {
            throw InvalidRequestException.illegalArgument("[track_total_hits] parameter must be positive or equals to -1, got "
                    + n);
        }
        return n;
    }

    private static KccrException unknownKey(String key, JsonNode v) {
        return InvalidRequestException.parsing("Unknown key for a " + DslParsing.token(v) + " in [" + key + "].");
    }

    private static int paramInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("Failed to parse int parameter [" + name + "] with value [" + value + "]");
        }
    }

    private static boolean paramBool(String name, String value) {
        return switch (value) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw InvalidRequestException.illegalArgument("Failed to parse value [" + value
                    + "] as only [true] or [false] are allowed.");
        };
    }
}
