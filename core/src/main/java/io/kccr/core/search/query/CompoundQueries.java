package io.kccr.core.search.query;

import static io.kccr.core.search.query.DslParsing.boost;
import static io.kccr.core.search.query.DslParsing.boostValue;
import static io.kccr.core.search.query.DslParsing.parsing;
import static io.kccr.core.search.query.DslParsing.scalar;
import static io.kccr.core.search.query.DslParsing.token;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;

/**
 * The compound queries of the DSL — {@code bool} and {@code constant_score} — whose clauses are
 * queries again (parsed by the function given at construction, the DSL's dispatcher), and the
 * boolean-query rules the other builders share: Elasticsearch's {@code minimum_should_match}
 * arithmetic and the "only must_not clauses match everything else" fix. Immutable and thread-safe.
 */
final class CompoundQueries {

    private final Function<JsonNode, Query> clauses;

    /** @param clauses parses one clause, e.g. {@code {"term":{...}}} */
    CompoundQueries(Function<JsonNode, Query> clauses) {
        this.clauses = clauses;
    }

    Query bool(JsonNode body) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        String msm = null;
        float boost = 1f;
        int count = 0;
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
                    b.add(clauses.apply(clause), occur);
                    count++;
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
        if (count == 0) {
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

    Query constantScore(JsonNode body) {
        Query filter = null;
        float boost = 1f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "filter" -> {
                    if (!e.getValue().isObject()) {
                        throw parsing("[constant_score] query does not support [filter] of type " + token(e.getValue()));
                    }
                    filter = clauses.apply(e.getValue());
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

    /** {@code bq} requiring {@code spec} of its should clauses; as is when it has none or the spec asks none. */
    static Query applyMinimumShouldMatch(BooleanQuery bq, String spec) {
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

    /** A boolean query of only must_not clauses matches every other document, as in Elasticsearch. */
    static Query fixNegativeQuery(Query q) {
        if (!(q instanceof BooleanQuery bq) || bq.clauses().isEmpty()) {
            return q;
        }
        for (BooleanClause c : bq.clauses()) {
            if (c.occur() != Occur.MUST_NOT) {
                return q;
            }
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        bq.clauses().forEach(b::add);
        b.add(new MatchAllDocsQuery(), Occur.FILTER);
        return b.build();
    }
}
