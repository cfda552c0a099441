package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kccr.core.shard.IndexingCounts;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.SearchableIndex;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_stats} and {@code GET /<index>/_stats} in Elasticsearch's shape: {@code _shards}, {@code _all} and
 * per index its {@code uuid}, {@code health}, {@code status}, and {@code primaries} and {@code total} stats (the
 * same here: no replicas) of {@code docs}, {@code store} and {@code indexing}. Indexing counts what this node
 * applied to each shard since the shard was opened (a leader's writes, a follower's applied ops), as
 * Elasticsearch counts since a shard started; time is Lucene's part of the work.
 */
record IndexStatsResponse(@JsonProperty("_shards") IndexResponses.ShardCounts shards,
                          @JsonProperty("_all") Totals all, Map<String, Index> indices) {

    static IndexStatsResponse of(List<SearchableIndex> indices) {
        Map<String, Index> out = new LinkedHashMap<>();
        Stats sum = Stats.EMPTY;
        int shards = 0;
        for (SearchableIndex index : indices) {
            Stats stats = Stats.of(index);
            Index before = out.get(index.name()); // another part of a follower index spread over nodes
            Stats all = before == null ? stats : before.primaries().plus(stats);
            out.put(index.name(), new Index(index.metadata().uuid(), "green", "open", all, all));
            sum = sum.plus(stats);
            shards += index.heldShards().size();
        }
        return new IndexStatsResponse(new IndexResponses.ShardCounts(shards, shards, 0), new Totals(sum, sum), out);
    }

    /** {@code _all}: the sums over the indices. */
    record Totals(Stats primaries, Stats total) {
    }

    /** One index. */
    record Index(String uuid, String health, String status, Stats primaries, Stats total) {
    }

    /** The stats sections this node measures. */
    record Stats(Docs docs, Store store, Indexing indexing) {
        static final Stats EMPTY = new Stats(new Docs(0, 0, 0), new Store(0, 0, 0),
                Indexing.of(IndexingCounts.NONE));

        static Stats of(SearchableIndex index) {
            IndexingCounts counts = IndexingCounts.NONE;
            for (LuceneShard shard : index.shards()) {
                counts = counts.plus(shard.indexing());
            }
            long size = index.sizeInBytes();
            return new Stats(new Docs(index.docCount(), 0, size), new Store(size, size, 0), Indexing.of(counts));
        }

        Stats plus(Stats o) {
            return new Stats(new Docs(docs.count + o.docs.count, docs.deleted + o.docs.deleted,
                    docs.totalSizeInBytes + o.docs.totalSizeInBytes),
                    new Store(store.sizeInBytes + o.store.sizeInBytes,
                            store.totalDataSetSizeInBytes + o.store.totalDataSetSizeInBytes, 0),
                    new Indexing(indexing.indexTotal + o.indexing.indexTotal,
                            indexing.indexTimeInMillis + o.indexing.indexTimeInMillis, 0, 0, 0,
                            indexing.deleteTotal + o.indexing.deleteTotal,
                            indexing.deleteTimeInMillis + o.indexing.deleteTimeInMillis, 0, 0, false, 0));
        }
    }

    /** Live documents; deleted ones are not counted here (0). */
    record Docs(long count, long deleted, long totalSizeInBytes) {
    }

    /** The shards' files on disk. */
    record Store(long sizeInBytes, long totalDataSetSizeInBytes, long reservedInBytes) {
    }

    /** Elasticsearch's indexing counters; those this node has no notion of (throttling, noops) are 0. */
    record Indexing(long indexTotal, long indexTimeInMillis, long indexCurrent, long indexFailed,
                    long indexFailedDueToVersionConflict, long deleteTotal, long deleteTimeInMillis,
                    long deleteCurrent, long noopUpdateTotal, boolean isThrottled, long throttleTimeInMillis) {
        static Indexing of(IndexingCounts c) {
            return new Indexing(c.indexTotal(), c.indexTimeNanos() / 1_000_000, 0, 0, 0, c.deleteTotal(),
                    c.deleteTimeNanos() / 1_000_000, 0, 0, false, 0);
        }
    }
}
