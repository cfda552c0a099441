package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardDocsTest {
    // four shards of 5, 0, 3 and 4 docs: index-wide bases 0, 5, 5, 8 (12 in all); this node reads shards 0 and 2,
    // at bases 0 and 5 of its own searcher (8 docs)
    private final ShardDocs docs = new ShardDocs(new int[]{5, 0, 3, 4}, new int[]{0, 2}, new int[]{0, 5}, 8);

    @Test
    void aShardsDocIsNumberedAsOverTheWholeIndex() {
        assertThat(docs.toGlobal(0, 4)).isEqualTo(4);
        assertThat(docs.toGlobal(2, 0)).isEqualTo(5);
        assertThat(docs.toGlobal(3, 3)).isEqualTo(11);
    }

    @Test
    void aDocOfAShardHereContinuesAtThatDoc() {
        assertThat(docs.toNode(3, false)).isEqualTo(3);
        assertThat(docs.toNode(6, false)).as("shard 2's doc 1").isEqualTo(6);
        assertThat(docs.toNode(6, true)).isEqualTo(6);
    }

    @Test
    void aDocOfAShardElsewhereContinuesBetweenThisNodesShards() {
        // shard 3's docs (8..11) come after every doc here ascending, before every one descending
        assertThat(docs.toNode(9, false)).isEqualTo(7);
        assertThat(docs.toNode(9, true)).isEqualTo(8);
        ShardDocs middle = new ShardDocs(new int[]{5, 3, 4}, new int[]{0, 2}, new int[]{0, 5}, 9);
        // shard 1's doc 1 (index-wide 6): shard 0 here is before it, shard 2 after it
        assertThat(middle.toNode(6, false)).as("after it: shard 2 from its first doc").isEqualTo(4);
        assertThat(middle.toNode(6, true)).as("after it descending: shard 0 whole").isEqualTo(5);
    }

    @Test
    void valuesOutsideTheIndexContinueBeforeOrAfterEverything() {
        assertThat(docs.toNode(-1, false)).isEqualTo(-1);
        assertThat(docs.toNode(100, false)).isEqualTo(7);
        assertThat(docs.toNode(100, true)).isEqualTo(8);
    }
}
