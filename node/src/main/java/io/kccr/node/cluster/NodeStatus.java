package io.kccr.node.cluster;

import com.sun.management.OperatingSystemMXBean;
import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.ShardId;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.LeaderShard;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What one node tells a coordinating node about itself: the copies of leader shards it holds now, each with its role,
 * state and size, and its JVM and machine figures for {@code _cat/nodes}. Each node answers for itself, so the
 * cluster APIs show what the nodes hold, not only what the routing table asks of them.
 *
 * @param nodeId        the node's id
 * @param copies        the copies it holds
 * @param heapUsed      bytes of heap in use
 * @param heapMax       the heap's limit
 * @param ramUsed       bytes of the machine's memory in use
 * @param ramTotal      the machine's memory
 * @param cpuPercent    the machine's CPU load, 0-100, -1 when unknown
 * @param load1m        the system load average of the last minute, -1 when unknown
 * @param followers     the follower indices it hosts (a follower index lives on the node that follows it)
 * @param followerCopies the copies of follower index shards it holds: those it hosts as primaries, its replicas of
 *                       follower indices other nodes host as replicas
 */
public record NodeStatus(String nodeId, List<Copy> copies, long heapUsed, long heapMax, long ramUsed, long ramTotal,
                         int cpuPercent, double load1m, List<String> followers, List<Copy> followerCopies) {
    public NodeStatus {
        followers = followers == null ? List.of() : List.copyOf(followers); // absent from an older node's answer
        followerCopies = followerCopies == null ? List.of() : List.copyOf(followerCopies);
    }

    /**
     * The copies of the shards of {@code hosted} (this node's follower indices, primaries: started, as a follower
     * index a node alone holds always counted active, its bootstrap included) and of {@code replicas} (its replicas
     * of follower indices other nodes host: started once their shards are open, initializing while they copy).
     */
    public static List<Copy> followerCopies(Collection<FollowerIndex> hosted, Collection<FollowerIndex> replicas) {
        List<Copy> out = new ArrayList<>();
        hosted.forEach(f -> addCopies(out, f, true));
        replicas.forEach(f -> addCopies(out, f, false));
        return out;
    }

    private static void addCopies(List<Copy> out, FollowerIndex f, boolean hosted) {
        java.util.Map<Integer, FollowerShard> open = new java.util.HashMap<>();
        f.shards().forEach(s -> open.put(s.shardId(), s));
        for (int s : f.heldShards()) { // a part of a follower index spread over nodes: its own shards
            FollowerShard shard = open.get(s);
            out.add(new Copy(f.name(), s, hosted, hosted || shard != null, shard == null ? 0 : shard.docCount(),
                    shard == null ? 0 : shard.sizeInBytes(), shard == null ? -1 : shard.maxSeqNo()));
        }
    }

    /**
     * One copy.
     *
     * @param primary   whether it is the shard's primary (else a replica)
     * @param started   whether it is started
     * @param docs      live documents as of its last refresh
     * @param bytes     bytes of its files
     * @param maxSeqNo  the highest seq_no it applied
     */
    public record Copy(String index, int shard, boolean primary, boolean started, long docs, long bytes,
                       long maxSeqNo) {
        ShardId shardId() {
            return new ShardId(index, shard);
        }
    }

    /** This node's status now. */
    static NodeStatus of(ClusterService cluster, IndexCatalog catalog, Collection<String> followers,
                         List<Copy> followerCopies) {
        List<Copy> copies = new ArrayList<>();
        for (LeaderIndex index : catalog.all()) {
            for (int s = 0; s < index.metadata().numberOfShards(); s++) {
                ShardId id = new ShardId(index.name(), s);
                CopyRole role = cluster.localRole(id);
                LeaderShard copy = index.copy(s);
                if (role == null || copy == null) {
                    continue;
                }
                copies.add(new Copy(index.name(), s, role == CopyRole.PRIMARY, cluster.localStarted(id),
                        copy.docCount(), copy.sizeInBytes(), copy.maxSeqNo()));
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long ramUsed = -1;
        long ramTotal = -1;
        int cpu = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            ramTotal = os.getTotalMemorySize();
            ramUsed = ramTotal - os.getFreeMemorySize();
            double load = os.getCpuLoad();
            cpu = load < 0 ? -1 : (int) Math.round(load * 100);
        }
        double load1m = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new NodeStatus(cluster.nodeId(), copies, heap.getUsed(), heap.getMax(), ramUsed, ramTotal, cpu, load1m,
                List.copyOf(followers), followerCopies);
    }
}
