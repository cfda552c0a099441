/**
 * Search over an index's Lucene readers with Elasticsearch's request and response shapes:
 * {@link io.kccr.core.search.query.QueryDsl} turns query DSL JSON into Lucene queries against the index's
 * mappings, {@link io.kccr.core.search.SearchRequest} parses a {@code _search} body and URL
 * parameters, and {@link io.kccr.core.search.SearchExecutor} runs it and builds the
 * {@link io.kccr.core.search.SearchResponse} / {@link io.kccr.core.search.CountResponse} JSON.
 * No HTTP and no Kafka in here.
 *
 * <p>Inside, {@code QueryDsl} dispatches each query to the builder of its family
 * ({@code FullTextQueries}, {@code TermLevelQueries}, {@code CompoundQueries},
 * {@code QueryStringQueries} with {@code QueryStringParser}); they read options with
 * {@code DslParsing}, resolve field names with {@code FieldResolver} and get the per-type Lucene query
 * of a value from {@code FieldQueries} (values coerced by {@code FieldValues}, dates by
 * {@code DateParser} on top of {@link io.kccr.core.mapping.DateFormat}).
 */
package io.kccr.core.search;

