package io.kccr.core.search;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The result of {@code _count}: {@code {"count":N,"_shards":{"total":S,"successful":S,"skipped":0,"failed":0}}}.
 *
 * @param count       matching documents
 * @param totalShards shards searched (all successful)
 */
public record CountResponse(long count, int totalShards) {

    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("count", count);
        n.set("_shards", SearchResponse.shardsJson(totalShards));
        return n;
    }
}
