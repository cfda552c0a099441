package io.kccr.core.shard;

import io.kccr.core.index.IndexMetadata;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;

/**
 * What the read APIs ({@code _search}, {@code _count}, {@code _doc}, {@code _cat/indices}) need of
 * an index, leader or follower alike. Implementations are thread-safe.
 */
public interface SearchableIndex {

    /** A search over the index, given a searcher over every shard's last refreshed reader. */
    @FunctionalInterface
    interface SearchAction<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    String name();

    /** Settings and mappings (a follower's are its leader's). */
    IndexMetadata metadata();

    /** Runs {@code action} on a searcher over every shard, released afterwards. */
    <T> T search(SearchAction<T> action) throws IOException;

    /**
     * The ids of the shards this index holds here, in order: all of them, unless it is a part of a follower index
     * spread over several nodes.
     */
    default List<Integer> heldShards() {
        return java.util.stream.IntStream.range(0, metadata().numberOfShards()).boxed().toList();
    }

    /** The open shards, in shard order (none while a follower still copies its leader's files). */
    List<? extends LuceneShard> shards();

    /**
     * Pins every shard's current reader for scroll and point-in-time searches; the caller closes it. Works on leader
     * and follower indices alike (a follower keeps applying ops: the pinned readers do not see them).
     */
    default PinnedReader pin() throws IOException {
        return PinnedReader.pin(shards());
    }

    /** A realtime get: sees every applied op. */
    GetResult get(String id);

    /** Makes every applied op searchable. */
    void refresh();

    long docCount();

    long sizeInBytes();
}
