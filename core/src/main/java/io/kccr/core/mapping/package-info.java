/**
 * Mappings and the document mapper: how {@code _source} JSON becomes a Lucene document.
 *
 * <p>{@link io.kccr.core.mapping.Mappings} holds an index's fields by dotted path (Elasticsearch's
 * mapping JSON in and out, merges with Elasticsearch's conflict rules).
 * {@link io.kccr.core.mapping.DocumentMapper} is the single source→Lucene translation that leader
 * and follower both use, so both build identical documents: one streaming pass, Elasticsearch's
 * coercion, dynamic mapping and error messages. {@link io.kccr.core.mapping.MetaFieldsIndexing}
 * indexes {@code _id}, {@code _source}, {@code _seq_no}, {@code _primary_term} and {@code _version};
 * {@link io.kccr.core.mapping.DateFormat} and {@link io.kccr.core.mapping.GeoPoints} parse date and
 * geo_point values for the mapper and for queries alike.
 */
package io.kccr.core.mapping;
