package io.kccr.node.follow;

import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerIndexSettings;
import io.kccr.follower.FollowerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A follower index spread over the nodes of a cluster: one part per shard of its leader, each a follower of that
 * shard, kept, placed, moved and adopted under its key {@code <index>#<shard>} ({@link IndexNames#partKey}) as a whole
 * follower index is under its name. Made when a leader index of several shards is followed with
 * {@link FollowerIndexSettings#TOTAL_SHARDS_PER_NODE}. Stateless but for what it is given.
 */
final class FollowerSpread {
    /** Creates follower (or part) {@code key} on this node and starts it: completed once it is active. */
    @FunctionalInterface
    interface Create {
        CompletableFuture<Void> create(String key, String remoteCluster, String leaderIndex,
                                       FollowParameters parameters, FollowerIndexSettings settings);
    }

    private final FollowerPlacement placement;
    private final Function<String, FollowerPeer> peers;
    private final Duration timeout;
    private final Create create;

    /**
     * @param peers   how to ask the node of an id about the follower indices it hosts
     * @param timeout how long such a node may take to answer
     * @param create  creates a part on this node
     */
    FollowerSpread(FollowerPlacement placement, Function<String, FollowerPeer> peers, Duration timeout,
                   Create create) {
        this.placement = placement;
        this.peers = peers;
        this.timeout = timeout;
        this.create = create;
    }

    /**
     * Follows {@code leaderIndex} (of {@code shards} shards) as follower index {@code name}, one part per shard placed
     * by {@link FollowerPlacement#placeParts}: the parts placed on this node are created here; those placed on another
     * are recorded as hosted there, and that node opens them as it reads the record, bootstrapping them from the
     * leader. Completed once every part is active; exceptionally when one fails first. Cancel it to stop waiting
     * (the hosts are no longer asked).
     */
    CompletableFuture<Void> follow(String name, int shards, String remoteCluster, String leaderIndex,
                                   FollowParameters parameters, FollowerIndexSettings settings) {
        List<String> nodes = placement.placeParts(name, shards);
        List<CompletableFuture<Void>> active = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            String key = IndexNames.partKey(name, s);
            if (nodes.get(s).equals(placement.nodeId())) {
                active.add(create.create(key, remoteCluster, leaderIndex, parameters, settings));
            } else {
                placement.placeOn(nodes.get(s), new FollowerStore.Entry(key, remoteCluster, leaderIndex,
                        FollowerStatus.ACTIVE, null, parameters, settings.own().flat()));
                FollowerPeer peer = peers.apply(nodes.get(s));
                active.add(peer != null ? FollowerSource.untilActive(peer, key, timeout)
                        : CompletableFuture.failedFuture(new UnavailableException("node [" + nodes.get(s) + "], which"
                        + " part [" + key + "] was placed on, left the cluster; another node adopts it (GET /" + name
                        + "/_ccr/stats shows when all shards follow)", null)));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(active.toArray(CompletableFuture[]::new));
        all.whenComplete((done, failed) -> active.forEach(part -> part.cancel(false))); // stops asking the hosts
        return all;
    }
}
