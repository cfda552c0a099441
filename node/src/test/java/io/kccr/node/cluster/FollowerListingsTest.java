package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class FollowerListingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void eachIndexIsListedOnceThisNodesEntryFirstAndTheListingIsSortedByName() throws Exception {
        List<JsonNode> here = List.of(json("{\"index\":\"b\",\"from\":\"here\"}"));
        List<JsonNode> others = FollowerListings.items(List.of(
                json("{\"indices\":[{\"index\":\"c\",\"from\":\"n2\"},{\"index\":\"b\",\"from\":\"n2\"}]}"),
                json("{\"indices\":[{\"index\":\"a\",\"from\":\"n3\"},{\"index\":\"c\",\"from\":\"n3\"}]}")),
                "/indices");

        List<JsonNode> merged = FollowerListings.merge(here, others, "index");

        assertThat(merged).extracting(n -> n.path("index").asText()).containsExactly("a", "b", "c");
        assertThat(merged).extracting(n -> n.path("from").asText()).containsExactly("n3", "here", "n2");
    }

    @Test
    void thePartsOfASpreadFollowerIndexAreListedAsOneAndACopyReportedTwiceOnce() throws Exception {
        List<JsonNode> here = List.of(json("{\"index\":\"s\",\"lag\":2,\"shards\":[{\"shard_id\":0}]}"),
                json("{\"index\":\"s\",\"lag\":3,\"shards\":[{\"shard_id\":2}]}"));
        List<JsonNode> others = List.of(json("{\"index\":\"s\",\"lag\":5,\"shards\":[{\"shard_id\":1}]}"),
                json("{\"index\":\"s\",\"lag\":7,\"shards\":[{\"shard_id\":2}]}"));

        List<JsonNode> merged = FollowerListings.merge(here, others, "index");

        assertThat(merged).hasSize(1);
        assertThat(merged.getFirst().path("shards")).extracting(n -> n.path("shard_id").asInt())
                .containsExactly(0, 2, 1);
        assertThat(merged.getFirst().path("lag").asLong()).as("the parts' figures added, not the copy's twice")
                .isEqualTo(10);
    }

    @Test
    void anAnswerWithoutTheListOrAnItemWithoutItsNameAddsNothing() throws Exception {
        List<JsonNode> others = FollowerListings.items(List.of(json("{\"error\":{}}"),
                json("{\"indices\":[{\"other\":1}]}")), "/indices");
        assertThat(others).hasSize(1);
        assertThat(FollowerListings.merge(List.of(), others, "index")).isEmpty();
    }

    @Test
    void aTopLevelArrayIsItsOwnList() throws Exception {
        assertThat(FollowerListings.items(List.of(json("[{\"index\":\"x\"},{\"index\":\"y\"}]")), ""))
                .extracting(n -> n.path("index").asText()).containsExactly("x", "y");
    }

    @Test
    void theOtherNodesAreAskedForWhatTheyHoldOfTheNamesWithTheCallersWildcards() {
        assertThat(FollowerListings.partQuery(null, null))
                .isEqualTo("?ignore_unavailable=true&allow_no_indices=true");
        assertThat(FollowerListings.partQuery("open,closed", "format=json"))
                .isEqualTo("?ignore_unavailable=true&allow_no_indices=true&expand_wildcards=open%2Cclosed&format=json");
    }

    @Test
    void onlyAnExpressionThatMayNameSeveralIndicesIsGathered() {
        assertThat(FollowerListings.multiTarget(null)).isTrue();
        assertThat(FollowerListings.multiTarget("_all")).isTrue();
        assertThat(FollowerListings.multiTarget("logs-*")).isTrue();
        assertThat(FollowerListings.multiTarget("a,b")).isTrue();
        assertThat(FollowerListings.multiTarget("a")).isFalse();
    }
}
