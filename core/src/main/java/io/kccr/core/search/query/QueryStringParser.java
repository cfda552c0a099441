package io.kccr.core.search.query;

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
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.search.BooleanClause;
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
 * ({@code most_fields}). Field clauses come from {@link FieldQueries}, field names are resolved and
 * expanded by {@link FieldResolver}; the {@code query_string} options are read by
 * {@link QueryStringQueries}. Not thread-safe: one instance per parse.
 */
final class QueryStringParser extends QueryParser {

    /** Stands for "the default fields" in clauses that name none. */
    static final String DEFAULT_FIELD = "\u0001default_field";

    private final FieldResolver fields;
    private final FieldQueries queries;
    private final Map<String, Float> defaultFields;
    private final boolean allFields;
    private final boolean lenient;
    private final float tieBreaker;
    private final boolean mostFields;
    private final ZoneId zone;

    @FunctionalInterface
    private interface PerField {
        Query build(String field, FieldTarget target) throws ParseException;
    }

    QueryStringParser(FieldResolver fields, FieldQueries queries, Analyzer analyzer, Map<String, Float> defaultFields,
            boolean allFields, boolean lenient, float tieBreaker, boolean mostFields, ZoneId zone) {
        super(DEFAULT_FIELD, analyzer);
        this.fields = fields;
        this.queries = queries;
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
            fields.expandPattern(field).forEach(f -> out.put(f, 1f));
            return out;
        }
        return Map.of(field, 1f);
    }

    /** Builds a clause on each field {@code field} stands for; unknown fields match nothing. */
    private Query perField(String field, PerField builder) throws ParseException {
        Map<String, Float> targets = fieldsFor(field);
        boolean leniently = lenient || field.equals("*");
        List<Query> clauses = new ArrayList<>();
        for (Map.Entry<String, Float> e : targets.entrySet()) {
            FieldTarget t = fields.resolve(e.getKey());
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
            clauses.add(e.getValue() == 1f ? q : new BoostQuery(q, e.getValue()));
        }
        if (clauses.isEmpty()) {
            return targets.isEmpty() ? new MatchNoDocsQuery() : null;
        }
        if (clauses.size() == 1) {
            return clauses.get(0);
        }
        if (mostFields) {
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            clauses.forEach(q -> b.add(q, Occur.SHOULD));
            return b.build();
        }
        return new DisjunctionMaxQuery(clauses, tieBreaker);
    }

    @Override
    public Query parse(String query) throws ParseException {
        if (query.trim().isEmpty()) {
            return new MatchNoDocsQuery("Matching no documents because no terms present");
        }
        return super.parse(query);
    }

    @Override
    protected Query getBooleanQuery(List<BooleanClause> clauses) throws ParseException {
        Query q = super.getBooleanQuery(clauses);
        return q == null ? null : CompoundQueries.fixNegativeQuery(q);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
        if (field.equals("_exists_")) {
            return queries.existsQuery(queryText);
        }
        if (quoted) {
            return getFieldQuery(field, queryText, getPhraseSlop());
        }
        // age:>10, age:>=10, age:<10, age:<=10 are one-sided ranges, as in Elasticsearch
        if (queryText.length() > 1) {
            if (queryText.charAt(0) == '>') {
                if (queryText.length() > 2 && queryText.charAt(1) == '=') {
                    return getRangeQuery(field, queryText.substring(2), null, true, true);
                }
                return getRangeQuery(field, queryText.substring(1), null, false, true);
            } else if (queryText.charAt(0) == '<') {
                if (queryText.length() > 2 && queryText.charAt(1) == '=') {
                    return getRangeQuery(field, null, queryText.substring(2), true, true);
                }
                return getRangeQuery(field, null, queryText.substring(1), true, false);
            }
        }
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getFieldQuery(f, queryText, quoted)
                : queries.termQuery(t, queryText));
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
        if (field.equals("_exists_")) {
            return queries.existsQuery(queryText);
        }
        return perField(field, (f, t) -> t.isText() ? createPhraseQuery(f, queryText, slop)
                : queries.termQuery(t, queryText));
    }

    @Override
    protected Query getRangeQuery(String field, String part1, String part2, boolean startInclusive,
            boolean endInclusive) throws ParseException {
        String lower = "*".equals(part1) ? null : part1;
        String upper = "*".equals(part2) ? null : part2;
        return perField(field, (f, t) -> {
            if (t.isText()) {
                return queries.rangeQuery(t, lower == null ? null : getAnalyzer().normalize(f, lower).utf8ToString(),
                        upper == null ? null : getAnalyzer().normalize(f, upper).utf8ToString(), startInclusive,
                        endInclusive, null, zone);
            }
            return queries.rangeQuery(t, lower, upper, startInclusive, endInclusive, null, zone);
        });
    }

    /** {@code term~} without a distance is Elasticsearch's AUTO fuzziness: 0, 1 or 2 edits by term length. */
    @Override
    protected float getFuzzyDistance(Token fuzzyToken, String termStr) {
        if (fuzzyToken.image.length() == 1) {
            int len = termStr.codePointCount(0, termStr.length());
            return len < 3 ? 0 : len < 6 ? 1 : 2;
        }
        return super.getFuzzyDistance(fuzzyToken, termStr);
    }

    @Override
    protected Query getWildcardQuery(String field, String termStr) throws ParseException {
        if (termStr.equals("*")) {
            if (field.equals("*") || (field.equals(DEFAULT_FIELD) && allFields)) {
                return new MatchAllDocsQuery();
            }
            List<Query> exists = new ArrayList<>();
            for (String f : fieldsFor(field).keySet()) {
                exists.add(queries.existsQuery(f));
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
                : queries.wildcardQuery(t, termStr, false));
    }

    @Override
    protected Query getPrefixQuery(String field, String termStr) throws ParseException {
        return perField(field, (f, t) -> t.isText() ? QueryStringParser.super.getPrefixQuery(f, termStr)
                : queries.prefixQuery(t, termStr, false));
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) throws ParseException {
        return perField(field, (f, t) -> {
            if (t.isText()) {
                return QueryStringParser.super.getFuzzyQuery(f, termStr, minSimilarity);
            }
            if (!t.isStringLike()) {
                return queries.termQuery(t, termStr);
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
