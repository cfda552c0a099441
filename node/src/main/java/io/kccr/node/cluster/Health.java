package io.kccr.node.cluster;

import java.util.List;
import java.util.Locale;

/**
 * The cluster's health as Elasticsearch counts it: red while a primary is not active (unassigned, or still
 * starting), yellow while a replica is not, green when every copy the indices ask for is active.
 *
 * @param status               {@code green}, {@code yellow} or {@code red}
 * @param nodes                the nodes of the cluster
 * @param activePrimaries      primaries started (or relocating)
 * @param active               copies started (or relocating), primaries and replicas
 * @param relocating           primaries moving to another node
 * @param initializing         copies starting
 * @param unassigned           copies no node holds
 * @param unassignedPrimaries  primaries no node holds
 */
public record Health(String status, int nodes, int activePrimaries, int active, int relocating, int initializing,
                     int unassigned, int unassignedPrimaries) {

    /** The health of {@code rows}, plus {@code localShards} shards of this node's own (follower) indices. */
    public static Health of(List<ClusterView.ShardRow> rows, int nodes, int localShards) {
        int activePrimaries = localShards;
        int active = localShards;
        int relocating = 0;
        int initializing = 0;
        int unassigned = 0;
        int unassignedPrimaries = 0;
        boolean red = false;
        boolean yellow = false;
        for (ClusterView.ShardRow r : rows) {
            switch (r.state()) {
                case STARTED, RELOCATING -> {
                    active++;
                    if (r.primary()) {
                        activePrimaries++;
                    }
                    if (r.state() == ClusterView.State.RELOCATING) {
                        relocating++;
                    }
                }
                case INITIALIZING -> {
                    initializing++;
                    red |= r.primary() && !relocationTarget(r, rows);
                    yellow |= !r.primary();
                }
                case UNASSIGNED -> {
                    unassigned++;
                    if (r.primary()) {
                        unassignedPrimaries++;
                        red = true;
                    } else {
                        yellow = true;
                    }
                }
            }
        }
        String status = red ? "red" : yellow ? "yellow" : "green";
        return new Health(status, nodes, activePrimaries, active, relocating, initializing, unassigned,
                unassignedPrimaries);
    }

    /** This health with {@code shards} primaries of indices that failed to open (unassigned, red) added. */
    public Health withRed(int shards) {
        if (shards == 0) {
            return this;
        }
        return new Health("red", nodes, activePrimaries, active, relocating, initializing, unassigned + shards,
                unassignedPrimaries + shards);
    }

    /** An initializing primary row of a shard whose primary is relocating is the move's target, not a lost primary. */
    private static boolean relocationTarget(ClusterView.ShardRow row, List<ClusterView.ShardRow> rows) {
        return rows.stream().anyMatch(r -> r.index().equals(row.index()) && r.shard() == row.shard()
                && r.state() == ClusterView.State.RELOCATING);
    }

    /** Active copies as a percentage of every copy the indices ask for. */
    public double activePercent() {
        int all = active + initializing + unassigned;
        return all == 0 ? 100.0 : 100.0 * active / all;
    }

    /** Whether this status is at least {@code wanted} (green better than yellow better than red). */
    public boolean atLeast(String wanted) {
        return rank(status) >= rank(wanted);
    }

    private static int rank(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "green" -> 2;
            case "yellow" -> 1;
            case "red" -> 0;
            default -> throw new IllegalArgumentException("unknown health status [" + s + "]");
        };
    }
}
