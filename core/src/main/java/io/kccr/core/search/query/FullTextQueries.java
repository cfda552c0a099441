package io.kccr.core.search.query;

import static io.kccr.core.search.query.DslParsing.boost;
import static io.kccr.core.search.query.DslParsing.boostValue;
import static io.kccr.core.search.query.DslParsing.fieldList;
import static io.kccr.core.search.query.DslParsing.intValue;
import static io.kccr.core.search.query.DslParsing.numberValue;
import static io.kccr.core.search.query.DslParsing.operator;
import static io.kccr.core.search.query.DslParsing.parsing;
import static io.kccr.core.search.query.DslParsing.scalar;
import static io.kccr.core.search.query.DslParsing.singleField;
import static io.kccr.core.search.query.DslParsing.token;
import static io.kccr.core.search.query.FieldValues.stringValue;
import static io.kccr.core.search.query.FieldValues.value;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.DocumentMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordAnalyzer;
import org.apache.lucene.analysis.core.SimpleAnalyzer;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SynonymQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

/**
 * The full-text queries of the DSL — {@code match}, {@code match_phrase}, {@code multi_match} — and
 * the analyzers they may name. On {@code text} fields the query text is analyzed (one clause per
 * position, same-position tokens as a synonym query, optional fuzziness, {@code operator} and
 * {@code minimum_should_match}); on other fields the value is matched exactly through
 * {@link FieldQueries#termQuery}. Fields the mappings do not know match nothing. Immutable and thread-safe.
 */
final class FullTextQueries {

    private final FieldResolver fields;
    private final FieldQueries queries;
    private final Analyzer analyzer;

    /** @param analyzer what text fields were indexed with, used unless a query names another */
    FullTextQueries(FieldResolver fields, FieldQueries queries, Analyzer analyzer) {
        this.fields = fields;
        this.queries = queries;
        this.analyzer = analyzer;
    }

    /** The analyzer text fields are indexed with. */
    static Analyzer defaultAnalyzer() {
        return DocumentMapper.analyzer();
    }

    /** A built-in analyzer by its Elasticsearch name; an unknown name is an IllegalArgumentException. */
    static Analyzer namedAnalyzer(String name) {
        return switch (name) {
            case "standard", "default" -> defaultAnalyzer();
            case "keyword" -> new KeywordAnalyzer();
            case "whitespace" -> new WhitespaceAnalyzer();
            case "simple" -> new SimpleAnalyzer();
            default -> throw new IllegalArgumentException("No analyzer found for [" + name + "]");
        };
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

    Query match(JsonNode body) {
        DslParsing.FieldBody fb = singleField("match", body);
        if (fb == null) {
            throw parsing("No text specified for text query");
        }
        MatchOptions o = new MatchOptions();
        readFieldBody("match", fb, o, (k, v) -> matchOption("match", k, v, o));
        if (o.query == null || o.query.isNull()) {
            throw parsing("No text specified for text query");
        }
        return boost(matchField(fb.field(), o), o.boost);
    }

    Query matchPhrase(JsonNode body) {
        DslParsing.FieldBody fb = singleField("match_phrase", body);
        if (fb == null) {
            throw parsing("[match_phrase] requires fieldName");
        }
        MatchOptions o = new MatchOptions();
        readFieldBody("match_phrase", fb, o, (k, v) -> phraseOption(k, v, o));
        if (o.query == null || o.query.isNull()) {
            throw parsing("[match_phrase] requires query value");
        }
        return boost(phraseField(fb.field(), o), o.boost);
    }

    /**
     * Reads a single-field body, {@code {"<field>": "text"}} or {@code {"<field>": {"query": ..., ...}}}, into
     * {@code o}: {@code option} applies one key and answers false for a key the query does not take. The query text
     * stays null when the object lacks it, for the caller to reject in its own words.
     */
    private static void readFieldBody(String name, DslParsing.FieldBody fb, MatchOptions o,
                                      BiPredicate<String, JsonNode> option) {
        o.boost = fb.boost();
        if (fb.value().isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = fb.value().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!option.test(e.getKey(), e.getValue())) {
                    throw parsing("[" + name + "] query does not support [" + e.getKey() + "]");
                }
            }
        } else if (fb.value().isArray()) {
            throw parsing("[" + name + "] unknown token [START_ARRAY] after [" + fb.field() + "]");
        } else {
            o.query = fb.value();
        }
    }

    /** The options {@code match_phrase} takes: {@code slop} and a few of the match family's. */
    private static boolean phraseOption(String key, JsonNode v, MatchOptions o) {
        return switch (key) {
            case "slop" -> {
                o.slop = intValue("match_phrase", key, v);
                yield true;
            }
            case "query", "analyzer", "boost", "_name", "zero_terms_query" -> matchOption("match_phrase", key, v, o);
            default -> false;
        };
    }

    Query multiMatch(JsonNode body) {
        MatchOptions o = new MatchOptions();
        Map<String, Float> fieldBoosts = null;
        String type = "best_fields";
        float tieBreaker = 0f;
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            switch (k) {
                case "fields" -> fieldBoosts = fieldList("multi_match", v);
                case "type" -> type = scalar("multi_match", k, v).asText().toLowerCase(Locale.ROOT);
                case "tie_breaker" -> tieBreaker = (float) numberValue("multi_match", k, v);
                case "slop" -> o.slop = intValue("multi_match", k, v);
                default -> {
                    if (!matchOption("multi_match", k, v, o)) {
                        throw parsing("[multi_match] query does not support [" + k + "]");
                    }
                }
            }
        }
        if (o.query == null || o.query.isNull()) {
            throw parsing("No text specified for multi_match query");
        }
        if (fieldBoosts == null || fieldBoosts.isEmpty()) {
            fieldBoosts = new LinkedHashMap<>();
            fieldBoosts.put("*", 1f);
        }
        Map<String, Float> expanded = fields.expandFields(fieldBoosts);
        // a pattern over many fields of many types is lenient by default, as in Elasticsearch
        boolean lenient = o.lenient || fieldBoosts.keySet().stream().anyMatch(f -> f.indexOf('*') >= 0);
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
    private static boolean matchOption(String name, String key, JsonNode v, MatchOptions o) {
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

    /** A match query on one field: analyzed on text fields, exact elsewhere. */
    private Query matchField(String field, MatchOptions o) {
        return onField(field, o, (a, text) -> analyzedMatch(field, a, text, o));
    }

    /** The match query on a text field: a clause per position of the analyzed text, joined by the operator. */
    private static Query analyzedMatch(String field, Analyzer a, String text, MatchOptions o) {
        List<List<String>> positions = analyze(a, field, text);
        if (positions.isEmpty()) {
            return noTerms(o);
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
            int n = CompoundQueries.minimumShouldMatch(clauses.size(), o.minimumShouldMatch);
            if (n > 0) {
                b.setMinimumNumberShouldMatch(n);
            }
        }
        return b.build();
    }

    private static Query positionQuery(String field, List<String> terms, MatchOptions o) {
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

    /** A phrase query on one field: analyzed on text fields, exact elsewhere. */
    private Query phraseField(String field, MatchOptions o) {
        return onField(field, o, (a, text) -> {
            Query q = new QueryBuilder(a).createPhraseQuery(field, text, o.slop);
            return q == null ? noTerms(o) : q;
        });
    }

    /**
     * The query of the match family on one field: nothing on a field the mappings do not know, the exact value on a
     * non-text field, and on a text field what {@code analyzed} builds from the analyzer (the query's, else the
     * index's) and the query text.
     */
    private Query onField(String field, MatchOptions o, BiFunction<Analyzer, String, Query> analyzed) {
        FieldTarget t = fields.resolve(field);
        if (t == null) {
            return new MatchNoDocsQuery();
        }
        Object value = value(o.query);
        if (!t.isText()) {
            return exact(t, value, o.lenient);
        }
        Analyzer a = o.analyzer == null ? analyzer : namedAnalyzer(o.analyzer);
        return analyzed.apply(a, stringValue(value));
    }

    /** What a text that analyzes to no term matches: {@code zero_terms_query}, all or none. */
    private static Query noTerms(MatchOptions o) {
        return o.zeroTermsAll ? new MatchAllDocsQuery() : new MatchNoDocsQuery();
    }

    /** The exact-value query on a non-text field; with {@code lenient}, a value the type rejects matches nothing. */
    private Query exact(FieldTarget t, Object value, boolean lenient) {
        try {
            return queries.termQuery(t, value);
        } catch (IllegalArgumentException | DateTimeException e) {
            if (lenient) {
                return new MatchNoDocsQuery();
            }
            throw e;
        }
    }

    /** The analyzed tokens of {@code text}, grouped by position. */
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

    /** Edits allowed for {@code term}: {@code AUTO}, {@code AUTO:low,high} or a number (0..2). */
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
}
