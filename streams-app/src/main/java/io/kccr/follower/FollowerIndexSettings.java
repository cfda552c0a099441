package io.kccr.follower;

import io.kccr.core.index.IndexSettings;
import io.kccr.core.shard.ShardRefresher;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The settings a follower index sets itself, over its leader's: Elasticsearch replicates every index setting to a
 * follower except those of its CCR non-replicated list ({@code TransportResumeFollowAction.NON_REPLICATED_SETTINGS}:
 * replicas, allocation, blocks, refresh, search limits, slow logs, merges, ...), which a follower may set on its own.
 * Of those, the ones {@link #APPLIED} here are taken and act; the rest mean nothing here. A follower's settings are
 * its leader's replicated ones with its own on top; the leader's non-replicated ones are not its (Elasticsearch copies
 * them once when the follower is created; here a follower starts from the defaults). Immutable.
 *
 * @param own the follower's own settings, all of them non-replicated and applied
 */
public record FollowerIndexSettings(IndexSettings own) {
    public static final FollowerIndexSettings NONE = new FollowerIndexSettings(IndexSettings.defaults());

    /**
     * Elasticsearch's {@code index.routing.allocation.total_shards_per_node}: at most this many of the follower
     * index's shards on one node ({@code -1}, the default: no limit). Set when it is followed in a cluster of nodes, its
     * shards are spread over the nodes, one part per shard; fixed once it is followed.
     */
    public static final String TOTAL_SHARDS_PER_NODE = "index.routing.allocation.total_shards_per_node";

    /** Non-replicated settings that act on a follower here. */
    public static final Set<String> APPLIED = Set.of(IndexSettings.NUMBER_OF_REPLICAS.key(),
            IndexSettings.REFRESH_INTERVAL.key(), IndexSettings.SEARCH_IDLE_AFTER.key(),
            IndexSettings.MAX_RESULT_WINDOW.key(), TOTAL_SHARDS_PER_NODE);

    private static final Set<String> NON_REPLICATED = Set.of("index.number_of_replicas", "index.auto_expand_replicas",
            "index.priority", "index.write.wait_for_active_shards", "index.hidden", "index.routing.rebalance.enable",
            "index.allocation.max_retries", "index.unassigned.node_left.delayed_timeout", "index.max_result_window",
            "index.warmer.enabled", "index.refresh_interval", "index.max_rescore_window",
            "index.max_inner_result_window", "index.query.default_field", "index.query_string.lenient",
            "index.search.idle.after", "index.soft_deletes.retention.operations",
            "index.soft_deletes.retention_lease.period", "index.max_script_fields", "index.max_regex_length",
            "index.max_terms_count", "index.highlight.max_analyzed_offset", "index.max_docvalue_fields_search",
            "index.analyze.max_token_count", "index.max_slices_per_scroll", "index.max_adjacency_matrix_filters",
            "index.default_pipeline", "index.final_pipeline", "index.search.throttled", "index.gc_deletes",
            "index.max_refresh_listeners", "index.requests.cache.enable", "index.load_fixed_bitset_filters_eagerly",
            "index.compound_format", "index.codec");
    private static final List<String> NON_REPLICATED_PREFIXES = List.of("index.routing.allocation.", "index.blocks.",
            "index.translog.", "index.search.slowlog.", "index.indexing.slowlog.", "index.merge.policy.",
            "index.merge.scheduler.");

    public FollowerIndexSettings {
        own = own == null ? IndexSettings.defaults() : own;
    }

    /** {@link #TOTAL_SHARDS_PER_NODE}: how many of its shards one node may hold; -1 (the default) for no limit. */
    public int totalShardsPerNode() {
        String value = own.flat().get(TOTAL_SHARDS_PER_NODE);
        return value == null ? -1 : Integer.parseInt(value);
    }

    /** Whether {@code key} (with its {@code index.} prefix) is one a follower takes from its leader. */
    public static boolean replicated(String key) {
        return !NON_REPLICATED.contains(key) && NON_REPLICATED_PREFIXES.stream().noneMatch(key::startsWith);
    }

    /** The follower's settings: {@code leader}'s replicated ones with the follower's own on top. */
    public IndexSettings over(IndexSettings leader) {
        Map<String, String> merged = new TreeMap<>();
        leader.flat().forEach((key, value) -> {
            if (replicated(key)) {
                merged.put(key, value);
            }
        });
        merged.putAll(own.flat());
        return new IndexSettings(merged);
    }

    /**
     * When the follower's shards refresh: its own {@code index.refresh_interval} ({@code -1}: none scheduled), with no
     * search idling when it is set (as Elasticsearch's shards are never search idle with an explicit interval); else
     * {@code defaults}' interval and its own {@code index.search.idle.after} or {@code defaults}'.
     */
    public ShardRefresher.Policy refreshPolicy(ShardRefresher.Policy defaults) {
        if (own.has(IndexSettings.REFRESH_INTERVAL)) {
            return new ShardRefresher.Policy(own.refreshInterval(), null);
        }
        Duration idle = own.has(IndexSettings.SEARCH_IDLE_AFTER) ? own.searchIdleAfter() : defaults.searchIdleAfter();
        return new ShardRefresher.Policy(defaults.interval(), idle);
    }
}
