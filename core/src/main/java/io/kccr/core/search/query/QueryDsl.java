package io.kccr.core.search.query;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.InvalidRequestException;
import static io.kccr.core.search.query.DslParsing.boost;
import static io.kccr.core.search.query.DslParsing.boostValue;
import static io.kccr.core.search.query.DslParsing.parsing;
import static io.kccr.core.search.query.DslParsing.scalar;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.mapping.Mappings;
import java.util.Iterator;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;

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
 * <p>This class is the entry point and dispatcher: it reads the query name and hands the body to the
 * builder of its family — {@link FullTextQueries}, {@link TermLevelQueries}, {@link CompoundQueries},
 * {@link QueryStringQueries} — which share {@link FieldQueries} for the per-type Lucene query of a value.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class QueryDsl {

    private final FullTextQueries fullText;
    private final TermLevelQueries termLevel;
    private final CompoundQueries compound;
    private final QueryStringQueries queryString;

    public QueryDsl(Mappings mappings) {
        Analyzer analyzer = FullTextQueries.defaultAnalyzer();
        FieldResolver fields = new FieldResolver(mappings == null ? Mappings.empty() : mappings);
        FieldQueries queries = new FieldQueries(fields);
        this.fullText = new FullTextQueries(fields, queries, analyzer);
        this.termLevel = new TermLevelQueries(fields, queries);
        this.compound = new CompoundQueries(this::parseQuery);
        this.queryString = new QueryStringQueries(fields, queries, analyzer);
    }

    /** {@code query_shard_exception}, status 400: a query that parsed but cannot run against the fields. */
    public static KccrException queryShardException(String reason, Throwable cause) {
        return InvalidRequestException.queryShard( reason, cause);
    }

    /** The Lucene query for one query-DSL object, e.g. {@code {"match":{"title":"kafka"}}}; null means match_all. */
    public Query toQuery(JsonNode query) {
        if (query == null || query.isNull() || query.isMissingNode()) {
            return new MatchAllDocsQuery();
        }
        try {
            return parseQuery(query);
        } catch (KccrException e) {
            throw e;
        } catch (RuntimeException e) {
            // values the field types reject, and IndexSearcher.TooManyClauses
            throw queryShardException("failed to create query: " + e.getMessage(), e);
        }
    }

    /** One query object, {@code {"<name>":{...body...}}}, by its name; also parses compound queries' clauses. */
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
            case "match" -> fullText.match(body);
            case "match_phrase" -> fullText.matchPhrase(body);
            case "multi_match" -> fullText.multiMatch(body);
            case "term" -> termLevel.term(body);
            case "terms" -> termLevel.terms(body);
            case "range" -> termLevel.range(body);
            case "exists" -> termLevel.exists(body);
            case "ids" -> termLevel.ids(body);
            case "prefix" -> termLevel.prefix(body);
            case "wildcard" -> termLevel.wildcard(body);
            case "bool" -> compound.bool(body);
            case "constant_score" -> compound.constantScore(body);
            case "query_string" -> queryString.queryString(body);
            default -> throw parsing("unknown query [" + name + "]");
        };
    }

    /** {@code match_all} ({@code all}) or {@code match_none}: only {@code boost} and {@code _name}. */
    private static Query matchAll(JsonNode body, boolean all) {
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
}
