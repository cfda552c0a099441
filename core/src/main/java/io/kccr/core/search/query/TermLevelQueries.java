package io.kccr.core.search.query;

import io.kccr.core.error.InvalidRequestException;
import static io.kccr.core.search.query.DslParsing.boost;
import static io.kccr.core.search.query.DslParsing.boostValue;
import static io.kccr.core.search.query.DslParsing.parsing;
import static io.kccr.core.search.query.DslParsing.scalar;
import static io.kccr.core.search.query.DslParsing.singleField;
import static io.kccr.core.search.query.DslParsing.token;
import static io.kccr.core.search.query.DslParsing.zoneValue;
import static io.kccr.core.search.query.FieldValues.value;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.MetaFields;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

/**
 * The term-level queries of the DSL — {@code term}, {@code terms}, {@code range}, {@code exists},
 * {@code ids}, {@code prefix}, {@code wildcard} — which match exact values without analysis. Each
 * method takes the query's body (the object after the query name), validates its options as
 * Elasticsearch does ({@code parsing_exception} for malformed DSL) and leaves the per-type Lucene
 * query to {@link FieldQueries}. Fields the mappings do not know match nothing. Immutable and thread-safe.
 */
final class TermLevelQueries {

    private final FieldResolver fields;
    private final FieldQueries queries;

    TermLevelQueries(FieldResolver fields, FieldQueries queries) {
        this.fields = fields;
        this.queries = queries;
    }

    Query term(JsonNode body) {
        DslParsing.FieldBody fb = singleField("term", body);
        if (fb == null) {
            throw parsing("[term] query doesn't support an empty body; expected {\"term\":{\"<field>\":<value>}}");
        }
        ValueBody vb = valueBody("term", fb, Set.of("_name"));
        if (vb.value() == null || vb.value().isNull()) {
            throw InvalidRequestException.illegalArgument("value cannot be null");
        }
        FieldTarget t = fields.resolve(fb.field());
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Object value = value(vb.value());
        Query q = vb.caseInsensitive() && t.isStringLike() ? queries.caseInsensitiveTermQuery(t, value)
                : queries.termQuery(t, value);
        return boost(q, vb.boost());
    }

    /**
     * The value and options of a single-value query on one field ({@code term}, {@code prefix}, {@code wildcard}).
     *
     * @param value the value, or null when an options object lacks it
     */
    private record ValueBody(JsonNode value, float boost, boolean caseInsensitive) {
    }

    /**
     * Reads {@code {"<field>": <value>}} or {@code {"<field>": {"value": ..., "boost": ..., "case_insensitive": ...}}}
     * (the value may also be keyed by the query's name); {@code accepted} are the further keys read and ignored.
     */
    private static ValueBody valueBody(String name, DslParsing.FieldBody fb, Set<String> accepted) {
        if (fb.value().isArray()) {
            throw parsing("[" + name + "] query does not support array of values");
        }
        if (!fb.value().isObject()) {
            return new ValueBody(fb.value(), fb.boost(), false);
        }
        JsonNode value = null;
        float boost = fb.boost();
        boolean caseInsensitive = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = fb.value().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            if (k.equals("value") || k.equals(name)) {
                value = scalar(name, k, e.getValue());
            } else if (k.equals("boost")) {
                boost = boostValue(name, e.getValue());
            } else if (k.equals("case_insensitive")) {
                caseInsensitive = scalar(name, k, e.getValue()).asBoolean();
            } else if (accepted.contains(k)) {
                scalar(name, k, e.getValue());
            } else {
                throw parsing("[" + name + "] query does not support [" + k + "]");
            }
        }
        return new ValueBody(value, boost, caseInsensitive);
    }

    Query terms(JsonNode body) {
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
        FieldTarget t = fields.resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        return boost(queries.termsQuery(t, list), boost);
    }

    Query range(JsonNode body) {
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
                case "time_zone" -> zone = zoneValue("range", k, v);
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
        FieldTarget t = fields.resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        return boost(queries.rangeQuery(t, from, to, includeLower, includeUpper, format, zone), boost);
    }

    private static Object bound(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw parsing("[range] query does not support [" + token(v) + "] bounds");
        }
        return value(v);
    }

    Query exists(JsonNode body) {
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
        return boost(queries.existsQuery(field), boost);
    }

    Query ids(JsonNode body) {
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

    Query prefix(JsonNode body) {
        return patternQuery("prefix", body);
    }

    Query wildcard(JsonNode body) {
        return patternQuery("wildcard", body);
    }

    /** {@code prefix} and {@code wildcard}, which share their options. */
    private Query patternQuery(String name, JsonNode body) {
        DslParsing.FieldBody fb = singleField(name, body);
        if (fb == null) {
            throw parsing("[" + name + "] query requires a field");
        }
        ValueBody vb = valueBody(name, fb, Set.of("_name", "rewrite"));
        if (vb.value() == null || vb.value().isNull()) {
            throw parsing("[" + name + "] requires a value");
        }
        FieldTarget t = fields.resolve(fb.field());
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        String s = vb.value().asText();
        return boost(name.equals("prefix") ? queries.prefixQuery(t, s, vb.caseInsensitive())
                : queries.wildcardQuery(t, s, vb.caseInsensitive()), vb.boost());
    }
}
