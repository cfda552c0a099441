package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The answers of the index APIs ({@link IndexController}), in Elasticsearch's shapes. */
final class IndexResponses {
    private IndexResponses() {
    }

    /** {@code PUT /<index>}. */
    record Created(boolean acknowledged, boolean shardsAcknowledged, String index) {
    }

    /** One index's entry in {@code GET /<index>/_mapping}. */
    record IndexMappings(ObjectNode mappings) {
    }

    /** {@code _refresh} and {@code _flush}: how many shards it reached. */
    record Shards(@JsonProperty("_shards") ShardCounts shards) {
        static Shards all(int shards) {
            return new Shards(new ShardCounts(shards, shards, 0));
        }
    }

    /** Elasticsearch's {@code _shards} header. */
    record ShardCounts(int total, int successful, int failed) {
    }
}
