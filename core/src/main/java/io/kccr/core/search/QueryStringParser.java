package io.kccr.core.search;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;

/**
 * Lucene's classic query parser, with each field clause built the way the query DSL builds it:
 * text fields analyzed, keyword fields as raw terms, numbers/dates/booleans parsed for their
 * type ({@code population:[1000 TO 5000]} becomes a point range), {@code _exists_:f} and
 * {@code f:*} as exists queries, unknown fields matching nothing. Clauses without a field go to
 * the default fields, combined as a dis-max ({@code best_fields}) or a disjunction
 * ({@code most_fields}). Not thread-safe: one instance per parse.
 */
final class QueryStringParser extends QueryParser {

    /** Stands for "the default fields" in clauses that name none. */
    static final String DEFAULT_FIELD = "\u0001default_field";

    private final QueryDsl dsl;
    private final Map<String, Float> defaultFields;
    private final boolean allFields;
    private final boolean lenient;
    private final float tieBreaker;
    private final boolean mostFields;
    private final ZoneId zone;

    @FunctionalInterface
    private interface PerField {
        Query build(String field, QueryDsl.Target target) throws ParseException;
    }

    QueryStringParser(QueryDsl dsl, Analyzer analyzer, Map<String, Float> defaultFields, boolean allFields,
            boolean lenient, float tieBreaker, boolean mostFields, ZoneId zone) {
        super(DEFAULT_FIELD, analyzer);
        this.dsl = dsl;
        this.defaultFields = defaultFields;
        this.allFields = allFields;
        this.lenient = lenient;
        this.tieBreaker = tieBreaker;
        this.mostFields = mostFields;
        this.zone = zone;
    }

    private Map<String, Float> fieldsFor(String field) {
        if (field.equals(DEFAULT_FIELD)) {
            return defaultFields;
        }
        if (field.indexOf('*') >= 0) {
            Map<String, Float> out = new LinkedHashMap<>();
            dsl.expandPattern(field).forEach(f -> out.put(f, 1f));
            return out;
        }
        return Map.of(field, 1f);
    }

    /** Builds a clause on each field {@code field} stands for; unknown fields match nothing. */
    private Query perField(String field, PerField builder) throws ParseException {
        Map<String, Float> fields = fieldsFor(field);
        boolean leniently = lenient || field.equals("*");
        List<Query> queries = new ArrayList<>();
        for (Map.Entry<String, Float> e : fields.entrySet()) {
            QueryDsl.Target t = dsl.resolve(e.getKey());
            Query q;
            if (t == null) {
                q = new MatchNoDocsQuery();
            } else {
                try {
                    q = builder.build(e.getKey(), t);
                } catch (IllegalArgumentException | DateTimeException ex) {
                    if (!leniently) {
                        throw ex;
                    }
                    q = new MatchNoDocsQuery();
                }
            }
            if (q == null) {
                continue;
            }
            queries.add(e.getValue() == 1f ? q : new BoostQuery(q, e.getValue()));
        }
        if (queries.isEmpty()) {
            return fields.isEmpty() ? new MatchNoDocsQuery() : null;
        }
        if (queries.size() == 1) {
            return queries.get(0);
        }
        if (mostFields) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            queries.forEach(q -> b.add(q, Occur.SHOULD));
            return b.build();
        }
        return new DisjunctionMaxQuery(queries, tieBreaker);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
        if (field.equals("_exists_")) {
            return dsl.existsQuery(queryText);
        }
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getFieldQuery(f, queryText, quoted)
                : dsl.termQuery(t, queryText));
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
        if (field.equals("_exists_")) {
            return dsl.existsQuery(queryText);
        }
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getFieldQuery(f, queryText, slop)
                : dsl.termQuery(t, queryText));
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
            boolean endInclusive) throws ParseException {
        return perField(field, (f, t) -> dsl.rangeQuery(t, part1, part2, startInclusive, endInclusive, null, zone));
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
        if (termStr.equals("*")) {
            if (field.equals("*") || (field.equals(DEFAULT_FIELD) && allFields)) {
                return new MatchAllDocsQuery();
            }
            Map<String, Float> fields = fieldsFor(field);
            List<Query> exists = new ArrayList<>();
            for (String f : fields.keySet()) {
                exists.add(dsl.existsQuery(f));
            }
            if (exists.isEmpty()) {
                return new MatchNoDocsQuery();
            }
            if (exists.size() == 1) {
                return exists.get(0);
            }
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            exists.forEach(q -> b.add(q, Occur.SHOULD));
            return b.build();
        }
        if (!getAllowLeadingWildcard() && (termStr.startsWith("*") || termStr.startsWith("?"))) {
            throw new ParseException("'*' or '?' not allowed as first character in WildcardQuery");
        }
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getWildcardQuery(f, termStr)
                : dsl.wildcardQuery(t, termStr, false));
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getPrefixQuery(f, termStr)
                : dsl.prefixQuery(t, termStr, false));
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
        return perField(field, (f, t) -> {
            if (t.isText()) {
                return QueryStringParser.super.getFuzzyQuery(f, termStr, minSimilarity);
            }
            if (!t.isStringLike()) {
                return dsl.termQuery(t, termStr);
            }
            return newFuzzyQuery(new Term(f, termStr), minSimilarity, getFuzzyPrefixLength());
        });
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
        return perField(field, (f, t) -> {
            if (t.isText()) {
                return QueryStringParser.super.getRegexpQuery(f, termStr);
            }
            if (!t.isStringLike()) {
                throw new IllegalArgumentException("Can only use regexp queries on keyword and text fields - not on ["
                        + f + "] which is of type [" + t.type().jsonName() + "]");
            }
            return newRegexpQuery(new Term(f, termStr));
        });
    }

    @Override
    protected Query newPrefixQuery(Term prefix) {
        return new PrefixQuery(prefix);
    }
}
