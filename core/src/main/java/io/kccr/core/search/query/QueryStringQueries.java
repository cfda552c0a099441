package io.kccr.core.search.query;

import static io.kccr.core.search.query.DslParsing.boost;
import static io.kccr.core.search.query.DslParsing.boostValue;
import static io.kccr.core.search.query.DslParsing.fieldList;
import static io.kccr.core.search.query.DslParsing.intValue;
import static io.kccr.core.search.query.DslParsing.numberValue;
import static io.kccr.core.search.query.DslParsing.operator;
import static io.kccr.core.search.query.DslParsing.parsing;
import static io.kccr.core.search.query.DslParsing.scalar;
import static io.kccr.core.search.query.DslParsing.zoneValue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

/**
 * The DSL's {@code query_string} query: reads its options (default field or {@code fields},
 * operator, leniency, analyzer, {@code type}, {@code time_zone}, ...) and runs the Lucene classic
 * syntax through a {@link QueryStringParser}, which builds each field clause as the rest of the DSL
 * does. Searching all fields ({@code *}) is lenient by default; a query the syntax rejects is a
 * {@code query_shard_exception}. Immutable and thread-safe (a parser is made per query).
 */
final class QueryStringQueries {

    private final FieldResolver fields;
    private final FieldQueries queries;
    private final Analyzer analyzer;

    QueryStringQueries(FieldResolver fields, FieldQueries queries, Analyzer analyzer) {
        this.fields = fields;
        this.queries = queries;
        this.analyzer = analyzer;
    }

    Query queryString(JsonNode body) {
        String query = null;
        String defaultField = null;
        Map<String, Float> fieldBoosts = null;
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
                case "fields" -> fieldBoosts = fieldList("query_string", v);
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
                case "time_zone" -> zone = zoneValue("query_string", k, v);
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
        if (defaultField != null && fieldBoosts != null) {
            throw parsing("[query_string] cannot use [fields] parameter in conjunction with [default_field]");
        }
        Map<String, Float> defaults;
        boolean allFields;
        if (fieldBoosts != null && !fieldBoosts.isEmpty()) {
            defaults = fieldBoosts;
            allFields = fieldBoosts.size() == 1 && fieldBoosts.containsKey("*");
        } else {
            String df = defaultField == null ? "*" : defaultField;
            defaults = new LinkedHashMap<>();
            defaults.put(df, 1f);
            allFields = df.equals("*");
        }
        boolean isLenient = lenient != null ? lenient : allFields;
        Analyzer a = analyzerName == null ? analyzer : FullTextQueries.namedAnalyzer(analyzerName);
        QueryStringParser parser = new QueryStringParser(fields, queries, a, fields.expandFields(defaults), allFields,
                isLenient, tieBreaker, type.equals("most_fields"), zone);
        parser.setDefaultOperator(op);
        parser.setAllowLeadingWildcard(allowLeadingWildcard);
        parser.setPhraseSlop(phraseSlop);
        Query q;
        try {
            q = parser.parse(query);
        } catch (ParseException e) {
            throw QueryDsl.queryShardException("Failed to parse query [" + query + "]", e);
        }
        if (q == null) {
            q = new MatchNoDocsQuery();
        }
        q = CompoundQueries.fixNegativeQuery(q);
        if (msm != null && q instanceof BooleanQuery bq) {
            q = CompoundQueries.applyMinimumShouldMatch(bq, msm);
        }
        return boost(q, boost);
    }
}
