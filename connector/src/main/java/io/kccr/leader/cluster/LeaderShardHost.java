package io.kccr.leader.cluster;

import io.kccr.core.cluster.CopyRole;
import io.kccr.core.cluster.CopyState;
import io.kccr.core.cluster.HeldCopy;
import io.kccr.core.cluster.IndexLayout;
import io.kccr.core.cluster.RoutingTable;
import io.kccr.core.cluster.ShardId;
import io.kccr.core.cluster.ShardPlacement;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.index.ShardCommitData;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.LeaderShard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node hold the copies of leader shards the cluster's routing table gives it: opens a primary (takes the
 * shard's next primary term, fences the previous writer, replays the log's tail), opens a replica and has the
 * {@link ReplicaApplier} keep it warm, promotes a replica, demotes a primary, closes what the node no longer holds.
 * Each shard's changes run one at a time, on a small pool of threads, so a node starts hundreds of shards with a
 * bounded number of threads and the membership's thread never waits for a shard.
 *
 * <p>It also reports what the node holds ({@link #copies}) for the node's report to the group, and asks the group
 * for a rebalance when a copy it warms for a relocation has started, so that the move completes.
 *
 * <p>Thread-safe.
 */
public final class LeaderShardHost implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderShardHost.class);

    /** What this node does with a shard now. */
    private record Local(CopyRole role, CopyState state) {
    }

    private final IndexCatalog catalog;
    private final ReplicaApplier replicas;
    private final String nodeId;
    private final Runnable requestRebalance;
    private final ExecutorService workers;
    private final Thread reconciler;
    private final Object signal = new Object();
    private final Map<ShardId, Local> local = new ConcurrentHashMap<>();
    private final Set<ShardId> busy = ConcurrentHashMap.newKeySet();
    private final Map<ShardId, Long> retryAfter = new ConcurrentHashMap<>();
    private volatile RoutingTable table = RoutingTable.EMPTY;
    private volatile boolean dirty;
    private volatile boolean closing;

    /**
     * @param threads          how many shards may be opening or closing at once
     * @param requestRebalance asks the group for a rebalance (a warmed copy started)
     */
    public LeaderShardHost(IndexCatalog catalog, ReplicaApplier replicas, String nodeId, int threads,
                           Runnable requestRebalance) {
        this.catalog = catalog;
        this.replicas = replicas;
        this.nodeId = nodeId;
        this.requestRebalance = requestRebalance;
        this.workers = Executors.newFixedThreadPool(threads, Thread.ofPlatform().daemon().name("kccr-shard-host-", 0)
                .factory());
        this.reconciler = new Thread(this::run, "kccr-shard-host");
        this.reconciler.setDaemon(true);
        this.reconciler.start();
        catalog.addChangeListener(this::poke);
    }

    /** Takes the cluster's latest table; returns at once (the copies change on the host's threads). */
    public void apply(RoutingTable newTable) {
        table = newTable;
        poke();
    }

    /** The table this host works towards. */
    public RoutingTable table() {
        return table;
    }

    private void poke() {
        dirty = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        while (!closing) {
            synchronized (signal) {
                if (!dirty) {
                    try {
                        signal.wait(1000); // also retries failed changes
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                dirty = false;
            }
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("applying the cluster's routing table failed; retrying", e);
            }
        }
    }

    private void reconcile() {
        RoutingTable t = table;
        Map<ShardId, CopyRole> wanted = t.rolesOf(nodeId);
        Set<ShardId> all = new HashSet<>(wanted.keySet());
        all.addAll(local.keySet());
        long now = System.nanoTime();
        for (ShardId shard : all) {
            if (busy.contains(shard) || retryAfter.getOrDefault(shard, 0L) > now) {
                continue;
            }
            LeaderIndex index = catalog.getOrNull(shard.index());
            IndexLayout layout = t.index(shard.index());
            if (index == null || index.isClosed()) {
                local.remove(shard); // the index is gone here: its copies closed with it
                continue;
            }
            if (layout != null && !layout.uuid().equals(index.metadata().uuid())) {
                continue; // the table and this node know different incarnations of the index: wait for the log
            }
            CopyRole want = wanted.get(shard);
            Local have = local.get(shard);
            if (want == CopyRole.PRIMARY && (have == null || have.role() != CopyRole.PRIMARY
                    || !index.isPrimaryHere(shard.shard()) && have.state() == CopyState.STARTED)) {
                change(shard, () -> startPrimary(index, shard, have));
            } else if (want == CopyRole.REPLICA && (have == null || have.role() != CopyRole.REPLICA)) {
                change(shard, () -> startReplica(index, shard, t));
            } else if (want == null && have != null) {
                change(shard, () -> close(index, shard, have));
            }
        }
    }

    /** Runs one change of {@code shard} on the pool; the next reconcile sees its outcome. */
    private void change(ShardId shard, ShardChange work) {
        busy.add(shard);
        workers.execute(() -> {
            try {
                work.run();
                retryAfter.remove(shard);
            } catch (Exception e) {
                log.warn("{} could not change as the cluster asks; retrying in a few seconds", shard, e);
                retryAfter.put(shard, System.nanoTime() + TimeUnit.SECONDS.toNanos(3));
            } finally {
                busy.remove(shard);
                poke();
            }
        });
    }

    private interface ShardChange {
        void run() throws Exception;
    }

    private void startPrimary(LeaderIndex index, ShardId shard, Local had) throws Exception {
        local.put(shard, new Local(CopyRole.PRIMARY, CopyState.INITIALIZING));
        if (had != null && had.role() == CopyRole.REPLICA) {
            replicas.detach(index.name(), shard.shard(), false).get(30, TimeUnit.SECONDS); // promoted as it is
        }
        try {
            index.startPrimary(shard.shard());
        } catch (Exception e) {
            local.remove(shard);
            throw e;
        }
        local.put(shard, new Local(CopyRole.PRIMARY, CopyState.STARTED));
        log.info("{} primary started on this node (term {})", shard, index.primaryTerm(shard.shard()));
    }

    private void startReplica(LeaderIndex index, ShardId shard, RoutingTable t) throws Exception {
        local.put(shard, new Local(CopyRole.REPLICA, CopyState.INITIALIZING));
        LeaderShard copy;
        try {
            copy = index.startReplica(shard.shard());
        } catch (Exception e) {
            local.remove(shard);
            throw e;
        }
        CompletableFuture<Void> started = replicas.attach(index.name(), copy);
        started.thenRun(() -> {
            if (local.replace(shard, new Local(CopyRole.REPLICA, CopyState.INITIALIZING),
                    new Local(CopyRole.REPLICA, CopyState.STARTED))) {
                ShardPlacement p = table.placement(shard);
                if (p != null && nodeId.equals(p.relocationTarget())) {
                    requestRebalance.run(); // the warmed copy can take the primary over now
                }
            }
        });
    }

    private void close(LeaderIndex index, ShardId shard, Local had) throws Exception {
        if (had.role() == CopyRole.REPLICA) {
            replicas.detach(index.name(), shard.shard(), true).get(30, TimeUnit.SECONDS);
        }
        index.closeCopy(shard.shard());
        local.remove(shard);
        log.info("{} copy closed on this node", shard);
    }

    /** Whether this node's copy of {@code shard} is a started primary or replica. */
    public CopyState state(ShardId shard) {
        Local l = local.get(shard);
        return l == null ? null : l.state();
    }

    /** This node's role for {@code shard} now (what it runs, not what the table asks), or null. */
    public CopyRole role(ShardId shard) {
        Local l = local.get(shard);
        return l == null ? null : l.role();
    }

    /**
     * The copies this node holds, for its report to the group: the open ones with their role, state, checkpoint and
     * primary term (a primary another process fenced counts as files only), and the files on disk of shards it does
     * not hold open, with the checkpoint of their last commit.
     */
    public List<HeldCopy> copies() {
        List<HeldCopy> out = new ArrayList<>();
        for (LeaderIndex index : catalog.all()) {
            IndexMetadata meta = index.metadata();
            for (int s = 0; s < meta.numberOfShards(); s++) {
                ShardId shard = new ShardId(meta.name(), s);
                Local l = local.get(shard);
                LeaderShard copy = index.copy(s);
                if (l != null && copy != null && !index.isFenced(s)) {
                    long term = l.role() == CopyRole.PRIMARY ? index.primaryTerm(s) : 0;
                    out.add(new HeldCopy(shard, meta.uuid(), l.role(), l.state(), copy.maxSeqNo(), term));
                } else {
                    long stored = storedCheckpoint(index.shardDir(s), meta.historyUuid());
                    if (stored != Long.MIN_VALUE) {
                        out.add(new HeldCopy(shard, meta.uuid(), CopyRole.STORED, CopyState.INITIALIZING, stored, 0));
                    }
                }
            }
        }
        return out;
    }

    /** The max_seq_no of the last commit in {@code dir} of history {@code history}, MIN_VALUE when there is none. */
    private static long storedCheckpoint(Path dir, String history) {
        if (!Files.isDirectory(dir)) {
            return Long.MIN_VALUE;
        }
        try (Directory d = FSDirectory.open(dir)) {
            ShardCommitData data = ShardCommitData.fromUserData(SegmentInfos.readLatestCommit(d).getUserData());
            return data == null || !history.equals(data.historyUuid()) ? Long.MIN_VALUE : data.maxSeqNo();
        } catch (IOException e) {
            return Long.MIN_VALUE; // no commit (yet), or being written: nothing to start from
        }
    }

    /**
     * Waits until this node holds, started, every copy the current table gives it (or {@code timeout} passes).
     *
     * @return whether it does
     */
    public boolean awaitApplied(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (applied()) {
                return true;
            }
            synchronized (signal) {
                signal.wait(50);
            }
        }
        return applied();
    }

    private boolean applied() {
        for (Map.Entry<ShardId, CopyRole> e : table.rolesOf(nodeId).entrySet()) {
            Local l = local.get(e.getKey());
            if (l == null || l.role() != e.getValue() || l.state() != CopyState.STARTED) {
                return false;
            }
        }
        return true;
    }

    /** Stops changing copies; the catalog closes them. Detaches the replicas first. */
    @Override
    public void close() {
        closing = true;
        poke();
        workers.shutdown();
        try {
            workers.awaitTermination(30, TimeUnit.SECONDS);
            reconciler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Map.Entry<ShardId, Local> e : local.entrySet()) {
            if (e.getValue().role() == CopyRole.REPLICA) {
                try {
                    replicas.detach(e.getKey().index(), e.getKey().shard(), true).get(30, TimeUnit.SECONDS);
                } catch (Exception ex) {
                    log.debug("detaching {} at close", e.getKey(), ex);
                }
            }
        }
    }
}
