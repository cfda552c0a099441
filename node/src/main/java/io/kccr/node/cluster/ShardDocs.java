package io.kccr.node.cluster;

import java.util.Arrays;

/**
 * How one node's part of a point in time numbers {@code _shard_doc} (and {@code _doc}) as the whole index would. A
 * point in time on one node sorts by the doc id of one searcher over every shard in shard order: shard {@code s}'s
 * doc {@code d} is {@code base(s) + d}, {@code base(s)} the sum of the pinned {@code maxDoc} of the shards before it.
 * A node holding only some shards numbers its docs within its own searcher; this translates both ways, so that sort
 * values, {@code search_after} and the merge are those of the same search on one node. Immutable.
 */
final class ShardDocs {
    private final int[] globalBases;
    private final int total;
    private final int[] nodeShards;
    private final int[] nodeBases;
    private final int nodeTotal;

    /**
     * @param maxDocs    every shard's pinned {@code maxDoc}, in shard order
     * @param nodeShards the shards this node's searcher reads, ascending, the i-th its i-th sub-reader
     * @param nodeBases  the doc base of each of those sub-readers in this node's searcher
     * @param nodeTotal  this node's searcher's {@code maxDoc}
     */
    ShardDocs(int[] maxDocs, int[] nodeShards, int[] nodeBases, int nodeTotal) {
        this.globalBases = new int[maxDocs.length];
        int sum = 0;
        for (int s = 0; s < maxDocs.length; s++) {
            globalBases[s] = sum;
            sum += maxDocs[s];
        }
        this.total = sum;
        this.nodeShards = nodeShards.clone();
        this.nodeBases = nodeBases.clone();
        this.nodeTotal = nodeTotal;
    }

    /** The index-wide number of {@code shard}'s doc {@code doc}. */
    int toGlobal(int shard, int doc) {
        return globalBases[shard] + doc;
    }

    /**
     * The doc of this node's searcher to continue after when the last hit was index-wide doc {@code global}: the doc
     * itself when its shard is here; else the last doc before this node's first shard that follows it (ascending),
     * or the first doc of that shard (descending), so that exactly the docs that come after {@code global} in that
     * order remain.
     */
    int toNode(long global, boolean descending) {
        if (global < 0) {
            return descending ? 0 : -1; // before everything: nothing precedes it descending, everything follows it
        }
        if (global >= total) {
            return descending ? nodeTotal : nodeTotal - 1;
        }
        int shard = shardOf((int) global);
        int here = Arrays.binarySearch(nodeShards, shard);
        if (here >= 0) {
            return nodeBases[here] + (int) global - globalBases[shard];
        }
        int next = -here - 1; // this node's first shard after the hit's
        int base = next < nodeShards.length ? nodeBases[next] : nodeTotal;
        return descending ? base : base - 1;
    }

    private int shardOf(int global) {
        int s = Arrays.binarySearch(globalBases, global);
        if (s < 0) {
            return -s - 2;
        }
        while (s + 1 < globalBases.length && globalBases[s + 1] == global) {
            s++; // empty shards share their base with the next one
        }
        return s;
    }
}
