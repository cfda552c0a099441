package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answers of a spread follower index's parts to a read, merged into the index's. */
class SpreadFollowersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shardsAreJoinedFiguresAddedAndPartsKeysTakenAsTheIndexsName() throws Exception {
        JsonNode part0 = JSON.readTree("""
                {"_shards":{"total":1,"successful":1},"indices":[{"index":"s","lag":2,"shards":[{"shard_id":0}]}],
                 "s#0":{"uuid":"u","docs":{"count":40},"shards":[{"id":0}]},"_index":"s#0","identical":true}""");
        JsonNode part1 = JSON.readTree("""
                {"_shards":{"total":1,"successful":1},"indices":[{"index":"s","lag":3,"shards":[{"shard_id":1}]}],
                 "s#1":{"uuid":"u","docs":{"count":2},"shards":[{"id":1}]},"_index":"s#1","identical":false}""");

        JsonNode merged = SpreadFollowers.merge(List.of(part0, part1), "s");

        assertThat(merged.at("/_shards/total").asInt()).isEqualTo(2);
        assertThat(merged.path("indices")).as("one item per index").hasSize(1);
        assertThat(merged.at("/indices/0/lag").asInt()).isEqualTo(5);
        assertThat(merged.at("/indices/0/shards")).extracting(n -> n.path("shard_id").asInt()).containsExactly(0, 1);
        assertThat(merged.at("/s/docs/count").asInt()).isEqualTo(42);
        assertThat(merged.at("/s/uuid").asText()).as("text: the first part's").isEqualTo("u");
        assertThat(merged.at("/s/shards")).extracting(n -> n.path("id").asInt()).containsExactly(0, 1);
        assertThat(merged.path("_index").asText()).isEqualTo("s");
        assertThat(merged.has("s#0")).isFalse();
        assertThat(merged.path("identical").asBoolean()).as("true of the index when true of every part").isFalse();
    }
}
