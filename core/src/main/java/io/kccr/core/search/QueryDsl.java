package io.kccr.core.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.ApiException;
import io.kccr.core.mapping.DocumentMapper;
import io.kccr.core.mapping.FieldMapping;
import io.kccr.core.mapping.FieldType;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.mapping.MetaFields;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.SynonymQuery;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.automaton.Operations;
import org.apache.lucene.util.automaton.RegExp;

/**
 * Turns Elasticsearch query DSL into Lucene queries over an index's {@link Mappings}, following the
 * field conventions of the document mapper (text analyzed, keywords as terms, numbers and dates as
 * points, booleans as {@code T}/{@code F} terms).
 *
 * <p>Supported: {@code match_all}, {@code match_none}, {@code match}, {@code match_phrase},
 * {@code multi_match}, {@code term}, {@code terms}, {@code range}, {@code exists}, {@code ids},
 * {@code prefix}, {@code wildcard}, {@code bool}, {@code constant_score}, {@code query_string};
 * {@code boost} on each. Fields the mappings do not know match nothing, as in Elasticsearch.
 * Malformed DSL is a 400 {@code parsing_exception}; a value the field's type cannot take is a 400
 * {@code query_shard_exception} ({@code failed to create query: ...}).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class QueryDsl {

    private final Mappings mappings;
    private final Analyzer analyzer;

    public QueryDsl(Mappings mappings) {
        this(mappings, defaultAnalyzer());
    }

    public QueryDsl(Mappings mappings, Analyzer analyzer) {
        this.mappings = mappings == null ? Mappings.empty() : mappings;
        this.analyzer = analyzer;
    }

    /** The analyzer text fields are indexed with. */
    static Analyzer defaultAnalyzer() {
        return DocumentMapper.analyzer();
    }

    /** Shorthand for {@code new QueryDsl(mappings).toQuery(query)}. */
    public static Query parse(JsonNode query, Mappings mappings) {
        return new QueryDsl(mappings).toQuery(query);
    }

    /** {@code query_shard_exception}, status 400: a query that parsed but cannot run against the fields. */
    public static ApiException queryShardException(String reason, Throwable cause) {
        return new ApiException(400, "query_shard_exception", reason, Map.of(), cause);
    }

    /** The Lucene query for one query-DSL object, e.g. {@code {"match":{"title":"kafka"}}}; null means match_all. */
    public Query toQuery(JsonNode query) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return new MatchAllDocsQuery();
        }
        try {
            return parseQuery(query);
        } catch (ApiException e) {
            throw e;
        } catch (IndexSearcher.TooManyClauses e) {
            throw queryShardException("failed to create query: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw queryShardException("failed to create query: " + e.getMessage(), e);
        }
    }

    Mappings mappings() {
        return mappings;
    }

    Analyzer analyzer() {
        return analyzer;
    }

    // ---------------------------------------------------------------------------------------------
    // Dispatch

    Query parseQuery(JsonNode node) {
        if (!node.isObject()) {
            throw parsing("[_na] query malformed, must start with start_object");
        }
        if (node.isEmpty()) {
            throw parsing("query malformed, empty clause found");
        }
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        Map.Entry<String, JsonNode> first = it.next();
        String name = first.getKey();
        JsonNode body = first.getValue();
        if (!body.isObject()) {
            throw parsing("[" + name + "] query malformed, no start_object after query name");
        }
        if (it.hasNext()) {
            throw parsing("[" + name + "] malformed query, expected [END_OBJECT] but found [FIELD_NAME]");
        }
        return switch (name) {
            case "match_all" -> matchAll(body, true);
            case "match_none" -> matchAll(body, false);
            case "match" -> match(body);
            case "match_phrase" -> matchPhrase(body);
            case "multi_match" -> multiMatch(body);
            case "term" -> term(body);
            case "terms" -> terms(body);
            case "range" -> range(body);
            case "exists" -> exists(body);
            case "ids" -> ids(body);
            case "prefix" -> prefix(body);
            case "wildcard" -> wildcard(body);
            case "bool" -> bool(body);
            case "constant_score" -> constantScore(body);
            case "query_string" -> queryString(body);
            default -> throw parsing("unknown query [" + name + "]");
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Query types

    private Query matchAll(JsonNode body, boolean all) {
        String name = all ? "match_all" : "match_none";
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "boost" -> boost = boostValue(name, e.getValue());
                case "_name" -> scalar(name, e.getKey(), e.getValue());
                default -> throw parsing("[" + name + "] query does not support [" + e.getKey() + "]");
            }
        }
        return boost(all ? new MatchAllDocsQuery() : new MatchNoDocsQuery(), boost);
    }

    /** Options of match, match_phrase and multi_match. */
    private static final class MatchOptions {
        JsonNode query;
        Occur operator = Occur.SHOULD;
        String minimumShouldMatch;
        String analyzer;
        String fuzziness;
        int prefixLength = 0;
        int maxExpansions = 50;
        boolean transpositions = true;
        boolean lenient;
        boolean zeroTermsAll;
        int slop;
        float boost = 1f;
    }

    private Query match(JsonNode body) {
        FieldBody fb = singleField("match", body);
        if (fb == null) {
            throw parsing("No text specified for text query");
        }
        MatchOptions o = new MatchOptions();
        o.boost = fb.boost;
        if (fb.value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!matchOption("match", e.getKey(), e.getValue(), o, false)) {
                    throw parsing("[match] query does not support [" + e.getKey() + "]");
                }
            }
        } else if (fb.value.isArray()) {
            throw parsing("[match] unknown token [START_ARRAY] after [" + fb.field + "]");
        } else {
            o.query = fb.value;
        }
        if (o.query == null || o.query.isNull()) {
            throw parsing("No text specified for text query");
        }
        return boost(matchField(fb.field, o), o.boost);
    }

    private Query matchPhrase(JsonNode body) {
        FieldBody fb = singleField("match_phrase", body);
        if (fb == null) {
            throw parsing("[match_phrase] requires fieldName");
        }
        MatchOptions o = new MatchOptions();
        o.boost = fb.boost;
        if (fb.value.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("slop")) {
                    o.slop = intValue("match_phrase", k, e.getValue());
                } else if (k.equals("query") || k.equals("analyzer") || k.equals("boost") || k.equals("_name")
                        || k.equals("zero_terms_query")) {
                    matchOption("match_phrase", k, e.getValue(), o, true);
                } else {
                    throw parsing("[match_phrase] query does not support [" + k + "]");
                }
            }
        } else if (fb.value.isArray()) {
            throw parsing("[match_phrase] unknown token [START_ARRAY] after [" + fb.field + "]");
        } else {
            o.query = fb.value;
        }
        if (o.query == null || o.query.isNull()) {
            throw parsing("[match_phrase] requires query value");
        }
        return boost(phraseField(fb.field, o), o.boost);
    }

    private Query multiMatch(JsonNode body) {
        MatchOptions o = new MatchOptions();
        Map<String, Float> fields = null;
        String type = "best_fields";
        float tieBreaker = 0f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "fields" -> fields = fieldList("multi_match", v);
                case "type" -> type = scalar("multi_match", k, v).asText().toLowerCase(Locale.ROOT);
                case "tie_breaker" -> tieBreaker = (float) numberValue("multi_match", k, v);
                case "slop" -> o.slop = intValue("multi_match", k, v);
                default -> {
                    if (!matchOption("multi_match", k, v, o, false)) {
                        throw parsing("[multi_match] query does not support [" + k + "]");
                    }
                }
            }
        }
        if (o.query == null || o.query.isNull()) {
            throw parsing("No text specified for multi_match query");
        }
        boolean lenientDefault = false;
        if (fields == null || fields.isEmpty()) {
            fields = new LinkedHashMap<>();
            fields.put("*", 1f);
        }
        Map<String, Float> expanded = expandFields(fields);
        if (fields.keySet().stream().anyMatch(f -> f.indexOf('*') >= 0)) {
            lenientDefault = true;
        }
        boolean lenient = o.lenient || lenientDefault;
        List<Query> perField = new ArrayList<>();
        for (Map.Entry<String, Float> f : expanded.entrySet()) {
            Query q;
            try {
                q = switch (type) {
                    case "best_fields", "most_fields" -> matchField(f.getKey(), o);
                    case "phrase" -> phraseField(f.getKey(), o);
                    default -> throw new IllegalArgumentException("[multi_match] type [" + type
                            + "] is not supported; use best_fields, most_fields or phrase");
                };
            } catch (IllegalArgumentException | DateTimeException e) {
                if (!lenient || e.getMessage() != null && e.getMessage().startsWith("[multi_match] type")) {
                    throw e;
                }
                q = new MatchNoDocsQuery();
            }
            perField.add(boost(q, f.getValue()));
        }
        Query result;
        if (perField.isEmpty()) {
            result = new MatchNoDocsQuery();
        } else if (perField.size() == 1) {
            result = perField.get(0);
        } else if (type.equals("most_fields")) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            perField.forEach(q -> b.add(q, Occur.SHOULD));
            result = b.build();
        } else {
            result = new DisjunctionMaxQuery(perField, tieBreaker);
        }
        return boost(result, o.boost);
    }

    /** Applies one option shared by the match family; false when {@code key} is not one of them. */
    private boolean matchOption(String name, String key, JsonNode v, MatchOptions o, boolean phrase) {
        switch (key) {
            case "query" -> {
                if (v.isContainerNode()) {
                    throw parsing("[" + name + "] unknown token [" + token(v) + "] after [" + key + "]");
                }
                o.query = v;
            }
            case "operator" -> o.operator = operator(scalar(name, key, v).asText());
            case "minimum_should_match" -> o.minimumShouldMatch = scalar(name, key, v).asText();
            case "analyzer" -> o.analyzer = scalar(name, key, v).asText();
            case "fuzziness" -> o.fuzziness = scalar(name, key, v).asText();
            case "prefix_length" -> o.prefixLength = intValue(name, key, v);
            case "max_expansions" -> o.maxExpansions = intValue(name, key, v);
            case "fuzzy_transpositions" -> o.transpositions = scalar(name, key, v).asBoolean();
            case "lenient" -> o.lenient = scalar(name, key, v).asBoolean();
            case "zero_terms_query" -> {
                String z = scalar(name, key, v).asText().toLowerCase(Locale.ROOT);
                if (!z.equals("none") && !z.equals("all")) {
                    throw parsing("Unsupported zero_terms_query value [" + z + "]");
                }
                o.zeroTermsAll = z.equals("all");
            }
            case "boost" -> o.boost = boostValue(name, v);
            case "_name", "auto_generate_synonyms_phrase_query", "fuzzy_rewrite", "rewrite" -> scalar(name, key, v);
            default -> {
                return false;
            }
        }
        return true;
    }

    private Query term(JsonNode body) {
        FieldBody fb = singleField("term", body);
        if (fb == null) {
            throw parsing("[term] query doesn't support an empty body; expected {\"term\":{\"<field>\":<value>}}");
        }
        JsonNode value = fb.value;
        float boost = fb.boost;
        boolean caseInsensitive = false;
        if (fb.value.isObject()) {
            value = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "value", "term" -> value = scalar("term", e.getKey(), e.getValue());
                    case "boost" -> boost = boostValue("term", e.getValue());
                    case "case_insensitive" -> caseInsensitive = scalar("term", e.getKey(), e.getValue()).asBoolean();
                    case "_name" -> scalar("term", e.getKey(), e.getValue());
                    default -> throw parsing("[term] query does not support [" + e.getKey() + "]");
                }
            }
        } else if (fb.value.isArray()) {
            throw parsing("[term] query does not support array of values");
        }
        if (value == null || value.isNull()) {
            throw ApiException.illegalArgument("value cannot be null");
        }
        Target t = resolve(fb.field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Query q = caseInsensitive && t.isStringLike()
                ? new RegexpQuery(new Term(t.name(), regexEscape(stringValue(value(value)))), RegExp.NONE,
                        RegExp.ASCII_CASE_INSENSITIVE, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT)
                : termQuery(t, value(value));
        return boost(q, boost);
    }

    private Query terms(JsonNode body) {
        String field = null;
        JsonNode values = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                if (field != null) {
                    throw parsing("[terms] query does not support multiple fields");
                }
                field = k;
                values = v;
            } else if (v.isObject()) {
                throw parsing("[terms] query does not support a terms lookup on [" + k
                        + "] (index/id/path); list the values in an array instead");
            } else if (k.equals("boost")) {
                boost = boostValue("terms", v);
            } else if (k.equals("_name")) {
                // accepted, not reported
            } else {
                throw parsing("[terms] query does not support [" + k + "]");
            }
        }
        if (field == null) {
            throw parsing("[terms] query requires a field name, followed by array of terms or a document lookup"
                    + " specification");
        }
        List<Object> list = new ArrayList<>();
        for (JsonNode v : values) {
            if (v.isNull()) {
                throw parsing("No value specified for terms query");
            }
            if (v.isContainerNode()) {
                throw parsing("[terms] query does not support [" + token(v) + "] values in [" + field + "]");
            }
            list.add(value(v));
        }
        Target t = resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        return boost(termsQuery(t, list), boost);
    }

    private Query range(JsonNode body) {
        String field = null;
        JsonNode def = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                if (field != null) {
                    throw parsing("[range] query doesn't support multiple fields, found [" + field + "] and [" + k + "]");
                }
                field = k;
                def = v;
            } else if (k.equals("boost")) {
                boost = boostValue("range", v);
            } else if (k.equals("_name")) {
                // accepted
            } else {
                throw parsing("[range] query does not support [" + k + "]");
            }
        }
        if (field == null) {
            throw parsing("[range] query requires a field; expected {\"range\":{\"<field>\":{\"gte\":...}}}");
        }
        Object from = null;
        Object to = null;
        boolean includeLower = true;
        boolean includeUpper = true;
        String format = null;
        ZoneId zone = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = def.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "from" -> from = bound(v);
                case "to" -> to = bound(v);
                case "include_lower" -> includeLower = scalar("range", k, v).asBoolean();
                case "include_upper" -> includeUpper = scalar("range", k, v).asBoolean();
                case "gt" -> {
                    from = bound(v);
                    includeLower = false;
                }
                case "gte" -> {
                    from = bound(v);
                    includeLower = true;
                }
                case "lt" -> {
                    to = bound(v);
                    includeUpper = false;
                }
                case "lte" -> {
                    to = bound(v);
                    includeUpper = true;
                }
                case "format" -> format = scalar("range", k, v).asText();
                case "time_zone" -> {
                    try {
                        zone = ZoneId.of(scalar("range", k, v).asText());
                    } catch (DateTimeException ex) {
                        throw ApiException.illegalArgument("Unknown time-zone ID: " + v.asText());
                    }
                }
                case "boost" -> boost = boostValue("range", v);
                case "relation" -> {
                    String r = scalar("range", k, v).asText().toLowerCase(Locale.ROOT);
                    if (!r.equals("intersects") && !r.equals("within") && !r.equals("contains")) {
                        throw parsing("[range] query does not support relation [" + r + "]");
                    }
                }
                case "_name" -> scalar("range", k, v);
                default -> throw parsing("[range] query does not support [" + k + "]");
            }
        }
        Target t = resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        return boost(rangeQuery(t, from, to, includeLower, includeUpper, format, zone), boost);
    }

    private Object bound(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw parsing("[range] query does not support [" + token(v) + "] bounds");
        }
        return value(v);
    }

    private Query exists(JsonNode body) {
        String field = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "field" -> field = scalar("exists", "field", e.getValue()).asText();
                case "boost" -> boost = boostValue("exists", e.getValue());
                case "_name" -> scalar("exists", "_name", e.getValue());
                default -> throw parsing("[exists] query does not support [" + e.getKey() + "]");
            }
        }
        if (field == null) {
            throw parsing("[exists] must be provided with a [field]");
        }
        return boost(existsQuery(field), boost);
    }

    private Query ids(JsonNode body) {
        List<BytesRef> ids = new ArrayList<>();
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "values" -> {
                    JsonNode v = e.getValue();
                    if (!v.isArray()) {
                        throw parsing("[ids] values doesn't support values of type: " + token(v));
                    }
                    for (JsonNode id : v) {
                        if (id.isContainerNode() || id.isNull()) {
                            throw parsing("[ids] values doesn't support values of type: " + token(id));
                        }
                        ids.add(new BytesRef(id.asText()));
                    }
                }
                case "boost" -> boost = boostValue("ids", e.getValue());
                case "_name", "type" -> scalar("ids", e.getKey(), e.getValue());
                default -> throw parsing("[ids] unknown field [" + e.getKey() + "]");
            }
        }
        Query q = ids.isEmpty() ? new MatchNoDocsQuery() : new ConstantScoreQuery(new TermInSetQuery(MetaFields.ID, ids));
        return boost(q, boost);
    }

    private Query prefix(JsonNode body) {
        return patternQuery("prefix", body);
    }

    private Query wildcard(JsonNode body) {
        return patternQuery("wildcard", body);
    }

    private Query patternQuery(String name, JsonNode body) {
        FieldBody fb = singleField(name, body);
        if (fb == null) {
            throw parsing("[" + name + "] query requires a field");
        }
        JsonNode value = fb.value;
        float boost = fb.boost;
        boolean caseInsensitive = false;
        if (fb.value.isObject()) {
            value = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String k = e.getKey();
                if (k.equals("value") || k.equals(name)) {
                    value = scalar(name, k, e.getValue());
                } else if (k.equals("boost")) {
                    boost = boostValue(name, e.getValue());
                } else if (k.equals("case_insensitive")) {
                    caseInsensitive = scalar(name, k, e.getValue()).asBoolean();
                } else if (k.equals("_name") || k.equals("rewrite")) {
                    scalar(name, k, e.getValue());
                } else {
                    throw parsing("[" + name + "] query does not support [" + k + "]");
                }
            }
        } else if (fb.value.isArray()) {
            throw parsing("[" + name + "] query does not support array of values");
        }
        if (value == null || value.isNull()) {
            throw parsing("[" + name + "] requires a value");
        }
        Target t = resolve(fb.field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        String s = value.asText();
        return boost(name.equals("prefix") ? prefixQuery(t, s, caseInsensitive) : wildcardQuery(t, s, caseInsensitive),
                boost);
    }

    private Query bool(JsonNode body) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        String msm = null;
        float boost = 1f;
        int clauses = 0;
        int should = 0;
        boolean positive = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            Occur occur = switch (k) {
                case "must" -> Occur.MUST;
                case "filter" -> Occur.FILTER;
                case "should" -> Occur.SHOULD;
                case "must_not", "mustNot" -> Occur.MUST_NOT;
                default -> null;
            };
            if (occur != null) {
                List<JsonNode> list = new ArrayList<>();
                if (v.isArray()) {
                    v.forEach(list::add);
                } else if (v.isObject()) {
                    list.add(v);
                } else {
                    throw parsing("[bool] query does not support [" + k + "]");
                }
                for (JsonNode clause : list) {
                    if (!clause.isObject()) {
                        throw parsing("[_na] query malformed, must start with start_object");
                    }
                    b.add(parseQuery(clause), occur);
                    clauses++;
                    if (occur == Occur.SHOULD) {
                        should++;
                    }
                    if (occur != Occur.MUST_NOT) {
                        positive = true;
                    }
                }
                continue;
            }
            switch (k) {
                case "minimum_should_match" -> msm = scalar("bool", k, v).asText();
                case "boost" -> boost = boostValue("bool", v);
                case "_name", "adjust_pure_negative", "disable_coord" -> scalar("bool", k, v);
                default -> throw parsing("[bool] query does not support [" + k + "]");
            }
        }
        if (clauses == 0) {
            return boost(new MatchAllDocsQuery(), boost);
        }
        if (msm != null && should > 0) {
            int n = minimumShouldMatch(should, msm);
            if (n > 0) {
                b.setMinimumNumberShouldMatch(n);
            }
        }
        if (!positive) {
            b.add(new MatchAllDocsQuery(), Occur.FILTER);
        }
        return boost(b.build(), boost);
    }

    private Query constantScore(JsonNode body) {
        Query filter = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "filter" -> {
                    if (!e.getValue().isObject()) {
                        throw parsing("[constant_score] query does not support [filter] of type " + token(e.getValue()));
                    }
                    filter = parseQuery(e.getValue());
                }
                case "boost" -> boost = boostValue("constant_score", e.getValue());
                case "_name" -> scalar("constant_score", "_name", e.getValue());
                default -> throw parsing("[constant_score] query does not support [" + e.getKey() + "]");
            }
        }
        if (filter == null) {
            throw parsing("[constant_score] requires a 'filter' element");
        }
        return boost(new ConstantScoreQuery(filter), boost);
    }

    private Query queryString(JsonNode body) {
        String query = null;
        String defaultField = null;
        Map<String, Float> fields = null;
        QueryParser.Operator op = QueryParser.Operator.OR;
        Boolean lenient = null;
        float boost = 1f;
        String msm = null;
        String analyzerName = null;
        boolean allowLeadingWildcard = true;
        int phraseSlop = 0;
        float tieBreaker = 0f;
        String type = "best_fields";
        ZoneId zone = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "query" -> query = scalar("query_string", k, v).asText();
                case "default_field" -> defaultField = scalar("query_string", k, v).asText();
                case "fields" -> fields = fieldList("query_string", v);
                case "default_operator" -> op = operator(scalar("query_string", k, v).asText()) == Occur.MUST
                        ? QueryParser.Operator.AND : QueryParser.Operator.OR;
                case "lenient" -> lenient = scalar("query_string", k, v).asBoolean();
                case "boost" -> boost = boostValue("query_string", v);
                case "minimum_should_match" -> msm = scalar("query_string", k, v).asText();
                case "analyzer" -> analyzerName = scalar("query_string", k, v).asText();
                case "allow_leading_wildcard" -> allowLeadingWildcard = scalar("query_string", k, v).asBoolean();
                case "phrase_slop" -> phraseSlop = intValue("query_string", k, v);
                case "tie_breaker" -> tieBreaker = (float) numberValue("query_string", k, v);
                case "type" -> type = scalar("query_string", k, v).asText().toLowerCase(Locale.ROOT);
                case "time_zone" -> {
                    try {
                        zone = ZoneId.of(scalar("query_string", k, v).asText());
                    } catch (DateTimeException ex) {
                        throw ApiException.illegalArgument("Unknown time-zone ID: " + v.asText());
                    }
                }
                case "_name", "analyze_wildcard", "auto_generate_synonyms_phrase_query", "escape",
                        "enable_position_increments", "max_determinized_states", "rewrite", "fuzziness",
                        "fuzzy_prefix_length", "fuzzy_max_expansions", "fuzzy_transpositions", "fuzzy_rewrite",
                        "quote_analyzer", "quote_field_suffix" -> scalar("query_string", k, v);
                default -> throw parsing("[query_string] query does not support [" + k + "]");
            }
        }
        if (query == null) {
            throw parsing("[query_string] must be provided with a [query]");
        }
        if (!type.equals("best_fields") && !type.equals("most_fields")) {
            throw parsing("[query_string] type [" + type + "] is not supported; use best_fields or most_fields");
        }
        if (defaultField != null && fields != null) {
            throw parsing("[query_string] cannot use [fields] parameter in conjunction with [default_field]");
        }
        Map<String, Float> defaults;
        boolean allFields;
        if (fields != null && !fields.isEmpty()) {
            defaults = fields;
            allFields = fields.size() == 1 && fields.containsKey("*");
        } else {
            String df = defaultField == null ? "*" : defaultField;
            defaults = new LinkedHashMap<>();
            defaults.put(df, 1f);
            allFields = df.equals("*");
        }
        boolean isLenient = lenient != null ? lenient : allFields;
        Analyzer a = analyzerName == null ? analyzer : namedAnalyzer(analyzerName);
        QueryStringParser parser = new QueryStringParser(this, a, expandFields(defaults), allFields, isLenient,
                tieBreaker, type.equals("most_fields"), zone);
        parser.setDefaultOperator(op);
        parser.setAllowLeadingWildcard(allowLeadingWildcard);
        parser.setPhraseSlop(phraseSlop);
        Query q;
        try {
            q = parser.parse(query);
        } catch (ParseException e) {
            throw queryShardException("Failed to parse query [" + query + "]", e);
        }
        if (q == null) {
            q = new MatchNoDocsQuery();
        }
        if (msm != null && q instanceof BooleanQuery bq) {
            q = applyMinimumShouldMatch(bq, msm);
        }
        return boost(q, boost);
    }

    // ---------------------------------------------------------------------------------------------
    // Field-level builders, shared by the DSL and query_string

    /** How a name addresses the index: a mapped leaf field or a meta field. */
    record Target(String name, FieldType type, String format, Kind kind) {
        boolean isText() {
            return kind == Kind.MAPPED && type == FieldType.TEXT;
        }

        boolean isStringLike() {
            return type == FieldType.TEXT || type == FieldType.KEYWORD;
        }
    }

    enum Kind {
        MAPPED,
        ID,
        SEQ_NO,
        /** {@code _primary_term}, {@code _version}: numeric doc values only. */
        DOC_VALUES_LONG
    }

    /** The target of a field name, or null when the mappings do not know it (or it is an object). */
    Target resolve(String field) {
        switch (field) {
            case MetaFields.ID:
                return new Target(field, FieldType.KEYWORD, null, Kind.ID);
            case MetaFields.SEQ_NO:
                return new Target(field, FieldType.LONG, null, Kind.SEQ_NO);
            case MetaFields.PRIMARY_TERM, MetaFields.VERSION:
                return new Target(field, FieldType.LONG, null, Kind.DOC_VALUES_LONG);
            default:
                FieldMapping m = mappings.field(field);
                if (m == null || m.type() == FieldType.OBJECT) {
                    return null;
                }
                return new Target(field, m.type(), m.format(), Kind.MAPPED);
        }
    }

    /** An exact-value query: no analysis; numbers, dates and booleans parsed for the field's type. */
    Query termQuery(Target t, Object value) {
        if (t.kind() == Kind.DOC_VALUES_LONG) {
            Long v = exactLong(value, FieldType.LONG);
            return v == null ? new MatchNoDocsQuery() : NumericDocValuesField.newSlowExactQuery(t.name(), v);
        }
        String f = t.name();
        return switch (t.type()) {
            case TEXT, KEYWORD -> new TermQuery(new Term(f, stringValue(value)));
            case LONG -> {
                Long v = exactLong(value, t.type());
                yield v == null ? new MatchNoDocsQuery() : LongPoint.newExactQuery(f, v);
            }
            case INTEGER, SHORT, BYTE -> {
                Long v = exactLong(value, t.type());
                yield v == null ? new MatchNoDocsQuery() : IntPoint.newExactQuery(f, (int) (long) v);
            }
            case DOUBLE -> DoublePoint.newExactQuery(f, doubleValue(value));
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> FloatPoint.newExactQuery(f, floatValue(value));
            case BOOLEAN -> new TermQuery(new Term(f, booleanValue(value) ? "T" : "F"));
            case DATE -> rangeQuery(t, value, value, true, true, null, null);
            case GEO_POINT -> throw new IllegalArgumentException(
                    "Geometry fields do not support exact searching, use dedicated geometry queries instead: [" + f + "]");
            case OBJECT -> new MatchNoDocsQuery();
        };
    }

    /** A constant-scoring query matching any of {@code values}. */
    Query termsQuery(Target t, List<Object> values) {
        if (values.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        String f = t.name();
        if (t.kind() == Kind.DOC_VALUES_LONG || t.type() == FieldType.DATE) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            for (Object v : new LinkedHashSet<>(values)) {
                b.add(termQuery(t, v), Occur.SHOULD);
            }
            return new ConstantScoreQuery(b.build());
        }
        Query q = switch (t.type()) {
            case TEXT, KEYWORD -> {
                List<BytesRef> terms = new ArrayList<>();
                values.forEach(v -> terms.add(new BytesRef(stringValue(v))));
                yield new TermInSetQuery(f, terms);
            }
            case BOOLEAN -> {
                List<BytesRef> terms = new ArrayList<>();
                values.forEach(v -> terms.add(new BytesRef(booleanValue(v) ? "T" : "F")));
                yield new TermInSetQuery(f, terms);
            }
            case LONG, INTEGER, SHORT, BYTE -> {
                List<Long> longs = new ArrayList<>();
                for (Object v : values) {
                    Long l = exactLong(v, t.type());
                    if (l != null) {
                        longs.add(l);
                    }
                }
                if (longs.isEmpty()) {
                    yield new MatchNoDocsQuery();
                }
                if (t.type() == FieldType.LONG) {
                    yield LongPoint.newSetQuery(f, longs);
                }
                yield IntPoint.newSetQuery(f, longs.stream().mapToInt(Long::intValue).toArray());
            }
            case DOUBLE -> DoublePoint.newSetQuery(f, values.stream().mapToDouble(QueryDsl::doubleValue).toArray());
            case FLOAT, HALF_FLOAT, SCALED_FLOAT -> {
                float[] fs = new float[values.size()];
                for (int i = 0; i < fs.length; i++) {
                    fs[i] = floatValue(values.get(i));
                }
                yield FloatPoint.newSetQuery(f, fs);
            }
            case GEO_POINT -> throw new IllegalArgumentException(
                    "Geometry fields do not support exact searching, use dedicated geometry queries instead: [" + f + "]");
            default -> new MatchNoDocsQuery();
        };
        return new ConstantScoreQuery(q);
    }

    /** A range; null bounds are open. Dates honour {@code format} (else the mapping's) and {@code zone}. */
    Query rangeQuery(Target t, Object from, Object to, boolean includeLower, boolean includeUpper, String format,
            ZoneId zone) {
        String f = t.name();
        if (t.kind() == Kind.DOC_VALUES_LONG) {
            long[] b = longBounds(from, to, includeLower, includeUpper, FieldType.LONG);
            return b == null ? new MatchNoDocsQuery() : NumericDocValuesField.newSlowRangeQuery(f, b[0], b[1]);
        }
        switch (t.type()) {
            case TEXT, KEYWORD:
                return TermRangeQuery.newStringRange(f, from == null ? null : stringValue(from),
                        to == null ? null : stringValue(to), includeLower, includeUpper);
            case BOOLEAN:
                return TermRangeQuery.newStringRange(f, from == null ? null : booleanValue(from) ? "T" : "F",
                        to == null ? null : booleanValue(to) ? "T" : "F", includeLower, includeUpper);
            case LONG, INTEGER, SHORT, BYTE: {
                long[] b = longBounds(from, to, includeLower, includeUpper, t.type());
                if (b == null) {
                    return new MatchNoDocsQuery();
                }
                return t.type() == FieldType.LONG ? LongPoint.newRangeQuery(f, b[0], b[1])
                        : IntPoint.newRangeQuery(f, (int) b[0], (int) b[1]);
            }
            case DOUBLE: {
                double lo = from == null ? Double.NEGATIVE_INFINITY : doubleValue(from);
                double hi = to == null ? Double.POSITIVE_INFINITY : doubleValue(to);
                if (from != null && !includeLower) {
                    lo = DoublePoint.nextUp(lo);
                }
                if (to != null && !includeUpper) {
                    hi = DoublePoint.nextDown(hi);
                }
                return lo > hi ? new MatchNoDocsQuery() : DoublePoint.newRangeQuery(f, lo, hi);
            }
            case FLOAT, HALF_FLOAT, SCALED_FLOAT: {
                float lo = from == null ? Float.NEGATIVE_INFINITY : floatValue(from);
                float hi = to == null ? Float.POSITIVE_INFINITY : floatValue(to);
                if (from != null && !includeLower) {
                    lo = FloatPoint.nextUp(lo);
                }
                if (to != null && !includeUpper) {
                    hi = FloatPoint.nextDown(hi);
                }
                return lo > hi ? new MatchNoDocsQuery() : FloatPoint.newRangeQuery(f, lo, hi);
            }
            case DATE: {
                String fmt = format != null ? format : t.format();
                long lo = Long.MIN_VALUE;
                long hi = Long.MAX_VALUE;
                if (from != null) {
                    lo = DateParser.parse(dateString(from), fmt, !includeLower, zone);
                    if (!includeLower) {
                        if (lo == Long.MAX_VALUE) {
                            return new MatchNoDocsQuery();
                        }
                        lo++;
                    }
                }
                if (to != null) {
                    hi = DateParser.parse(dateString(to), fmt, includeUpper, zone);
                    if (!includeUpper) {
                        if (hi == Long.MIN_VALUE) {
                            return new MatchNoDocsQuery();
                        }
                        hi--;
                    }
                }
                return lo > hi ? new MatchNoDocsQuery() : LongPoint.newRangeQuery(f, lo, hi);
            }
            case GEO_POINT:
                throw new IllegalArgumentException("Field [" + f + "] of type [geo_point] does not support range queries");
            default:
                return new MatchNoDocsQuery();
        }
    }

    /** Documents with a value for {@code field}; an object means any field below it; patterns may use {@code *}. */
    Query existsQuery(String field) {
        if (field.equals(MetaFields.ID) || field.equals(MetaFields.SOURCE)) {
            return new MatchAllDocsQuery();
        }
        Target t = resolve(field);
        if (t != null) {
            return new ConstantScoreQuery(new FieldExistsQuery(t.name()));
        }
        List<String> leaves = new ArrayList<>();
        if (field.indexOf('*') >= 0) {
            leaves.addAll(expandPattern(field));
        } else if (mappings.isObject(field)) {
            String prefix = field + ".";
            for (String path : mappings.fields().tailMap(prefix, true).keySet()) {
                if (!path.startsWith(prefix)) {
                    break;
                }
                leaves.add(path);
            }
        }
        if (leaves.isEmpty()) {
            return new MatchNoDocsQuery();
        }
        if (leaves.size() == 1) {
            return new ConstantScoreQuery(new FieldExistsQuery(leaves.get(0)));
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        leaves.forEach(l -> b.add(new FieldExistsQuery(l), Occur.SHOULD));
        return new ConstantScoreQuery(b.build());
    }

    Query prefixQuery(Target t, String prefix, boolean caseInsensitive) {
        requireStringLike(t, "prefix");
        if (caseInsensitive) {
            return new RegexpQuery(new Term(t.name(), regexEscape(prefix) + ".*"), RegExp.NONE,
                    RegExp.ASCII_CASE_INSENSITIVE, Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new PrefixQuery(new Term(t.name(), prefix));
    }

    Query wildcardQuery(Target t, String pattern, boolean caseInsensitive) {
        requireStringLike(t, "wildcard");
        if (caseInsensitive) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < pattern.length(); i++) {
                char c = pattern.charAt(i);
                if (c == '*') {
                    re.append(".*");
                } else if (c == '?') {
                    re.append('.');
                } else if (c == '\\' && i + 1 < pattern.length()) {
                    re.append(regexEscape(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append(regexEscape(String.valueOf(c)));
                }
            }
            return new RegexpQuery(new Term(t.name(), re.toString()), RegExp.NONE, RegExp.ASCII_CASE_INSENSITIVE,
                    Operations.DEFAULT_DETERMINIZE_WORK_LIMIT);
        }
        return new WildcardQuery(new Term(t.name(), pattern));
    }

    private static void requireStringLike(Target t, String what) {
        if (!t.isStringLike()) {
            throw new IllegalArgumentException("Can only use " + what + " queries on keyword and text fields - not on ["
                    + t.name() + "] which is of type [" + t.type().jsonName() + "]");
        }
    }

    /** A match query on one field: analyzed on text fields, exact elsewhere. */
    private Query matchField(String field, MatchOptions o) {
        Target t = resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Object value = value(o.query);
        if (!t.isText()) {
            try {
                return termQuery(t, value);
            } catch (IllegalArgumentException | DateTimeException e) {
                if (o.lenient) {
                    return new MatchNoDocsQuery();
                }
                throw e;
            }
        }
        Analyzer a = o.analyzer == null ? analyzer : namedAnalyzer(o.analyzer);
        List<List<String>> positions = analyze(a, field, stringValue(value));
        if (positions.isEmpty()) {
            return o.zeroTermsAll ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
        }
        List<Query> clauses = new ArrayList<>();
        for (List<String> terms : positions) {
            clauses.add(positionQuery(field, terms, o));
        }
        if (clauses.size() == 1) {
            return clauses.get(0);
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        clauses.forEach(c -> b.add(c, o.operator));
        if (o.operator == Occur.SHOULD && o.minimumShouldMatch != null) {
            int n = minimumShouldMatch(clauses.size(), o.minimumShouldMatch);
            if (n > 0) {
                b.setMinimumNumberShouldMatch(n);
            }
        }
        return b.build();
    }

    private Query positionQuery(String field, List<String> terms, MatchOptions o) {
        if (o.fuzziness != null) {
            List<Query> fuzzy = new ArrayList<>();
            for (String term : terms) {
                int edits = fuzzyEdits(o.fuzziness, term);
                fuzzy.add(edits == 0 ? new TermQuery(new Term(field, term))
                        : new FuzzyQuery(new Term(field, term), edits, o.prefixLength, o.maxExpansions, o.transpositions));
            }
            if (fuzzy.size() == 1) {
                return fuzzy.get(0);
            }
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            fuzzy.forEach(q -> b.add(q, Occur.SHOULD));
            return b.build();
        }
        if (terms.size() == 1) {
            return new TermQuery(new Term(field, terms.get(0)));
        }
        SynonymQuery.Builder b = new SynonymQuery.Builder(field);
        terms.forEach(term -> b.addTerm(new Term(field, term)));
        return b.build();
    }

    private Query phraseField(String field, MatchOptions o) {
        Target t = resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Object value = value(o.query);
        if (!t.isText()) {
            try {
                return termQuery(t, value);
            } catch (IllegalArgumentException | DateTimeException e) {
                if (o.lenient) {
                    return new MatchNoDocsQuery();
                }
                throw e;
            }
        }
        Analyzer a = o.analyzer == null ? analyzer : namedAnalyzer(o.analyzer);
        Query q = new QueryBuilder(a).createPhraseQuery(field, stringValue(value), o.slop);
        if (q == null) {
            return o.zeroTermsAll ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
        }
        return q;
    }

    private static List<List<String>> analyze(Analyzer a, String field, String text) {
        List<List<String>> positions = new ArrayList<>();
        try (TokenStream ts = a.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                if (positions.isEmpty() || inc.getPositionIncrement() > 0) {
                    positions.add(new ArrayList<>());
                }
                positions.get(positions.size() - 1).add(term.toString());
            }
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return positions;
    }

    private static int fuzzyEdits(String fuzziness, String term) {
        String f = fuzziness.trim().toUpperCase(Locale.ROOT);
        int len = term.codePointCount(0, term.length());
        if (f.startsWith("AUTO")) {
            int low = 3;
            int high = 6;
            if (f.startsWith("AUTO:")) {
                String[] parts = f.substring(5).split(",");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("failed to find low and high distance values");
                }
                low = Integer.parseInt(parts[0].trim());
                high = Integer.parseInt(parts[1].trim());
            } else if (!f.equals("AUTO")) {
                throw new IllegalArgumentException("invalid fuzziness [" + fuzziness + "]");
            }
            return len < low ? 0 : len < high ? 1 : 2;
        }
        double edits = Double.parseDouble(f);
        return (int) Math.max(0, Math.min(2, edits));
    }

    static Analyzer namedAnalyzer(String name) {
        return switch (name) {
            case "standard", "default" -> defaultAnalyzer();
            case "keyword" -> new KeywordAnalyzer();
            case "whitespace" -> new WhitespaceAnalyzer();
            case "simple" -> new SimpleAnalyzer();
            default -> throw new IllegalArgumentException("No analyzer found for [" + name + "]");
        };
    }

    /** Leaf and multi-field paths a {@code *} query or pattern may address (not geo points). */
    List<String> searchableFields() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, FieldMapping> e : mappings.fields().entrySet()) {
            addSearchable(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    private static void addSearchable(String path, FieldMapping m, List<String> out) {
        if (m.type() != FieldType.GEO_POINT && m.type() != FieldType.OBJECT) {
            out.add(path);
        }
        m.fields().forEach((name, sub) -> addSearchable(path + "." + name, sub, out));
    }

    /** Field names matching a {@code *} pattern; a name without {@code *} as is. */
    List<String> expandPattern(String pattern) {
        if (pattern.indexOf('*') < 0) {
            return List.of(pattern);
        }
        Pattern p = wildcardRegex(pattern);
        List<String> out = new ArrayList<>();
        for (String f : searchableFields()) {
            if (p.matcher(f).matches()) {
                out.add(f);
            }
        }
        return out;
    }

    /** Expands patterns in a field→boost map, keeping order and multiplying boosts of repeats. */
    Map<String, Float> expandFields(Map<String, Float> fields) {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Map.Entry<String, Float> e : fields.entrySet()) {
            for (String f : expandPattern(e.getKey())) {
                out.merge(f, e.getValue(), (a, b) -> a * b);
            }
        }
        return out;
    }

    static Pattern wildcardRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            re.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    // ---------------------------------------------------------------------------------------------
    // Value conversion

    /** A JSON scalar as a Java value: String, Long, BigInteger, Double, BigDecimal or Boolean. */
    static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
        }
        if (n.isBigDecimal()) {
            return n.decimalValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.asText();
    }

    static String stringValue(Object v) {
        return String.valueOf(v);
    }

    private static String dateString(Object v) {
        if (v instanceof Double d) {
            return BigDecimal.valueOf(d).toPlainString();
        }
        return String.valueOf(v);
    }

    static double doubleValue(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.parseDouble(String.valueOf(v));
    }

    static float floatValue(Object v) {
        if (v instanceof Number n) {
            return n.floatValue();
        }
        return Float.parseFloat(String.valueOf(v));
    }

    static boolean booleanValue(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v);
        return switch (s) {
            case "true" -> true;
            case "false", "" -> false;
            default -> throw new IllegalArgumentException(
                    "Can't parse boolean value [" + s + "], expected [true] or [false]");
        };
    }

    private static BigDecimal decimalValue(Object v, FieldType type) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        if (v instanceof BigDecimal bd) {
            return bd;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw outOfRange(v, type);
            }
            return new BigDecimal(Double.toString(d));
        }
        String s = String.valueOf(v).trim();
        try {
            return BigDecimal.valueOf(Long.parseLong(s));
        } catch (NumberFormatException e) {
            // fall through to a decimal parse, whose error message Elasticsearch reports
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw outOfRange(v, type);
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return new BigDecimal(d);
        }
    }

    private static IllegalArgumentException outOfRange(Object v, FieldType type) {
        String article = switch (type) {
            case INTEGER -> "an integer";
            case SHORT -> "a short";
            case BYTE -> "a byte";
            default -> "a long";
        };
        return new IllegalArgumentException("Value [" + v + "] is out of range for " + article);
    }

    private static BigInteger minOf(FieldType type) {
        return BigInteger.valueOf(switch (type) {
            case INTEGER -> Integer.MIN_VALUE;
            case SHORT -> Short.MIN_VALUE;
            case BYTE -> Byte.MIN_VALUE;
            default -> Long.MIN_VALUE;
        });
    }

    private static BigInteger maxOf(FieldType type) {
        return BigInteger.valueOf(switch (type) {
            case INTEGER -> Integer.MAX_VALUE;
            case SHORT -> Short.MAX_VALUE;
            case BYTE -> Byte.MAX_VALUE;
            default -> Long.MAX_VALUE;
        });
    }

    /** The whole number {@code v} for an integral field; null when it has a decimal part (matches nothing). */
    private static Long exactLong(Object v, FieldType type) {
        BigDecimal d = decimalValue(v, type);
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            return null;
        }
        BigInteger i = d.toBigInteger();
        if (i.compareTo(minOf(type)) < 0 || i.compareTo(maxOf(type)) > 0) {
            throw outOfRange(v, type);
        }
        return i.longValue();
    }

    /** Inclusive integral bounds for a range, clamped to the type; null when the range is empty. */
    private static long[] longBounds(Object from, Object to, boolean includeLower, boolean includeUpper,
            FieldType type) {
        BigInteger min = minOf(type);
        BigInteger max = maxOf(type);
        BigInteger lo = min;
        BigInteger hi = max;
        if (from != null) {
            BigDecimal d = decimalValue(from, type);
            lo = includeLower ? d.setScale(0, RoundingMode.CEILING).toBigInteger()
                    : d.setScale(0, RoundingMode.FLOOR).toBigInteger().add(BigInteger.ONE);
        }
        if (to != null) {
            BigDecimal d = decimalValue(to, type);
            hi = includeUpper ? d.setScale(0, RoundingMode.FLOOR).toBigInteger()
                    : d.setScale(0, RoundingMode.CEILING).toBigInteger().subtract(BigInteger.ONE);
        }
        lo = lo.max(min);
        hi = hi.min(max);
        if (lo.compareTo(hi) > 0) {
            return null;
        }
        return new long[] {lo.longValue(), hi.longValue()};
    }

    // ---------------------------------------------------------------------------------------------
    // Parsing helpers

    private record FieldBody(String field, JsonNode value, float boost) {
    }

    /** The single field of a {@code {"<query>":{"<field>": ...}}} body; top-level boost/_name allowed. */
    private FieldBody singleField(String name, JsonNode body) {
        String field = null;
        JsonNode value = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isValueNode() && (k.equals("boost") || k.equals("_name"))) {
                if (k.equals("boost")) {
                    boost = boostValue(name, v);
                }
                continue;
            }
            if (field != null) {
                throw parsing("[" + name + "] query doesn't support multiple fields, found [" + field + "] and ["
                        + k + "]");
            }
            field = k;
            value = v;
        }
        return field == null ? null : new FieldBody(field, value, boost);
    }

    private Map<String, Float> fieldList(String name, JsonNode v) {
        Map<String, Float> out = new LinkedHashMap<>();
        if (v.isTextual()) {
            addField(out, v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw parsing("[" + name + "] query does not support [fields] of type " + token(v));
        }
        for (JsonNode f : v) {
            if (!f.isTextual()) {
                throw parsing("[" + name + "] query does not support [fields] entries of type " + token(f));
            }
            addField(out, f.asText());
        }
        return out;
    }

    private static void addField(Map<String, Float> out, String spec) {
        int caret = spec.lastIndexOf('^');
        if (caret > 0) {
            try {
                out.put(spec.substring(0, caret), Float.parseFloat(spec.substring(caret + 1)));
                return;
            } catch (NumberFormatException e) {
                throw parsing("failed to parse boost of field [" + spec + "]");
            }
        }
        out.put(spec, 1f);
    }

    private static JsonNode scalar(String name, String key, JsonNode v) {
        if (v.isContainerNode()) {
            throw parsing("[" + name + "] unknown token [" + token(v) + "] after [" + key + "]");
        }
        return v;
    }

    private static double numberValue(String name, String key, JsonNode v) {
        scalar(name, key, v);
        if (v.isNumber()) {
            return v.doubleValue();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw parsing("[" + name + "] failed to parse [" + key + "] value [" + v.asText() + "] as a number");
        }
    }

    private static int intValue(String name, String key, JsonNode v) {
        double d = numberValue(name, key, v);
        return (int) d;
    }

    private static float boostValue(String name, JsonNode v) {
        float b = (float) numberValue(name, "boost", v);
        if (b < 0) {
            throw ApiException.illegalArgument("negative [boost] are not allowed.");
        }
        return b;
    }

    private static Occur operator(String op) {
        return switch (op.toUpperCase(Locale.ROOT)) {
            case "OR" -> Occur.SHOULD;
            case "AND" -> Occur.MUST;
            default -> throw ApiException.illegalArgument("operator needs to be either [OR, AND], but not [" + op + "]");
        };
    }

    static Query boost(Query q, float boost) {
        return boost == 1f ? q : new BoostQuery(q, boost);
    }

    static String token(JsonNode v) {
        if (v == null || v.isNull()) {
            return "VALUE_NULL";
        }
        if (v.isObject()) {
            return "START_OBJECT";
        }
        if (v.isArray()) {
            return "START_ARRAY";
        }
        if (v.isTextual()) {
            return "VALUE_STRING";
        }
        if (v.isNumber()) {
            return "VALUE_NUMBER";
        }
        if (v.isBoolean()) {
            return "VALUE_BOOLEAN";
        }
        return "VALUE_EMBEDDED_OBJECT";
    }

    static ApiException parsing(String reason) {
        return ApiException.parsingQuery(reason);
    }

    private static String regexEscape(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isLetterOrDigit(cp)) {
                sb.appendCodePoint(cp);
            } else {
                sb.append('\\').appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** Elasticsearch's {@code minimum_should_match} arithmetic: {@code 2}, {@code -1}, {@code 75%}, {@code 3<90%}. */
    static int minimumShouldMatch(int optionalClauseCount, String spec) {
        int result = optionalClauseCount;
        spec = spec.trim();
        if (spec.contains("<")) {
            spec = spec.replaceAll("\\s*<\\s*", "<");
            for (String s : spec.split("\\s+")) {
                String[] parts = s.split("<", 2);
                int upperBound = Integer.parseInt(parts[0]);
                if (optionalClauseCount <= upperBound) {
                    return result;
                }
                result = minimumShouldMatch(optionalClauseCount, parts[1]);
            }
            return result;
        }
        if (spec.endsWith("%")) {
            int percent = Integer.parseInt(spec.substring(0, spec.length() - 1));
            float calc = (result * percent) * (1 / 100f);
            result = calc < 0 ? result + (int) calc : (int) calc;
        } else {
            int calc = Integer.parseInt(spec);
            result = calc < 0 ? result + calc : calc;
        }
        return Math.max(result, 0);
    }

    private static Query applyMinimumShouldMatch(BooleanQuery bq, String spec) {
        int should = 0;
        for (BooleanClause c : bq.clauses()) {
            if (c.occur() == Occur.SHOULD) {
                should++;
            }
        }
        if (should == 0) {
            return bq;
        }
        int n = minimumShouldMatch(should, spec);
        if (n <= 0) {
            return bq;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        bq.clauses().forEach(b::add);
        b.setMinimumNumberShouldMatch(n);
        return b.build();
    }

    /** Names the query types this class understands, for error messages and documentation. */
    public static Set<String> supportedQueries() {
        return Set.of("match_all", "match_none", "match", "match_phrase", "multi_match", "term", "terms", "range",
                "exists", "ids", "prefix", "wildcard", "bool", "constant_score", "query_string");
    }
}
