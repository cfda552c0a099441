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
        JsonNode value = fb.value();
        float boost = fb.boost();
        boolean caseInsensitive = false;
        if (fb.value().isObject()) {
            value = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                switch (e.getKey()) {
                    case "value", "term" -> value = scalar("term", e.getKey(), e.getValue());
                    case "boost" -> boost = boostValue("term", e.getValue());
                    case "case_insensitive" -> caseInsensitive = scalar("term", e.getKey(), e.getValue()).asBoolean();
                    case "_name" -> scalar("term", e.getKey(), e.getValue());
                    default -> throw parsing("[term] query does not support [" + e.getKey() + "]");
                }
            }
        } else if (fb.value().isArray()) {
            throw parsing("[term] query does not support array of values");
        }
        if (value == null || value.isNull()) {
            throw InvalidRequestException.illegalArgument("value cannot be null");
        }
        FieldTarget t = fields.resolve(fb.field());
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Query q = caseInsensitive && t.isStringLike() ? queries.caseInsensitiveTermQuery(t, value(value))
                : queries.termQuery(t, value(value));
        return boost(q, boost);
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
        JsonNode value = fb.value();
        float boost = fb.boost();
        boolean caseInsensitive = false;
        if (fb.value().isObject()) {
            value = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value().fields(); it.hasNext(); ) {
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
        } else if (fb.value().isArray()) {
            throw parsing("[" + name + "] query does not support array of values");
        }
        if (value == null || value.isNull()) {
            throw parsing("[" + name + "] requires a value");
        }
        FieldTarget t = fields.resolve(fb.field());
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        String s = value.asText();
        return boost(name.equals("prefix") ? queries.prefixQuery(t, s, caseInsensitive)
                : queries.wildcardQuery(t, s, caseInsensitive), boost);
    }
}
