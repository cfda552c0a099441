package io.kccr.node.follow;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.KafkaAccessErrors;
import io.kccr.core.kafka.TopicNames;
import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerDefinition;
import io.kccr.core.index.IndexNames;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.ShardSubset;
import io.kccr.follower.FollowerRuntime;
import io.kccr.follower.LeaderMetadataReader;
import io.kccr.follower.bootstrap.BootstrapJob;
import io.kccr.follower.bootstrap.RecoverySettings;
import io.kccr.follower.bootstrap.RestoreSource;
import io.kccr.node.remote.HttpRestoreSource;
import io.kccr.node.remote.PeerFirstSource;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.remote.ResolvedRemote;
import io.kccr.node.settings.RemoteClusterSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.lucene.store.RateLimiter;

/**
 * Makes a node's {@link FollowerIndex} of a leader index on a remote cluster: resolves the remote, reads the leader's
 * metadata (or takes what the follower kept, {@link KeptLeaderMetadata}, when the leader's cluster does not answer;
 * a copy of a follower index another node of this cluster hosts takes what that node knows, {@link FollowerSource}),
 * and gives the follower a bootstrap (remote recovery over the remote's HTTP API, or a copy of the copy another node
 * of this cluster hosts) that copies at the node's one rate, shared by every bootstrap of the node. Thread-safe.
 */
final class FollowerOpener {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FollowerOpener.class);
    private final RemoteClusters remotes;
    private final String clusterName;
    private final Duration timeout;
    private final FollowerRuntime runtime;
    private final Clock clock;
    private final Supplier<RecoverySettings> recoverySettings;
    /** How often a copy asks again a host whose own copy is not whole yet, and how long it waits for it. */
    private static final Duration PEER_RETRY = Duration.ofSeconds(1);
    private static final Duration PEER_PATIENCE = Duration.ofMinutes(10);
    /** How long a remote whose log did not answer is taken as down: the followers opened meanwhile do not wait. */
    private static final long DOWN_NANOS = java.time.Duration.ofSeconds(30).toNanos();
    /** When each remote's log last failed to answer, by remote cluster name. */
    private final java.util.Map<String, Long> down = new java.util.concurrent.ConcurrentHashMap<>();
    /** The followers last opened with the leader's metadata they kept, not started yet ({@link #openedOffline}). */
    private final java.util.Set<String> offline = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The node's bootstrap copy rate, shared by every bootstrap; each sets it from the settings before a chunk. */
    private final RateLimiter recoveryRateLimiter = new RateLimiter.SimpleRateLimiter(0);

    /**
     * {@code runtime}: the node's, which applies, commits and refreshes every follower's shards; {@code
     * recoverySettings}: how bootstraps copy files, read again for every chunk.
     */
    FollowerOpener(RemoteClusters remotes, String clusterName, Duration timeout, FollowerRuntime runtime, Clock clock,
                   Supplier<RecoverySettings> recoverySettings) {
        this.remotes = remotes;
        this.clusterName = clusterName;
        this.timeout = timeout;
        this.runtime = runtime;
        this.clock = clock;
        this.recoverySettings = recoverySettings;
    }

    /**
     * Follower {@code name} of {@code leaderIndex} on {@code remoteCluster}, its shards under {@code dir}, not started:
     * the leader's settings and mappings are read from its meta topic first, or, when it does not answer (or the
     * remote's HTTP did not), those the follower kept are taken ({@link #openedOffline} then says so); a 503 naming
     * what to check when neither can be, a 404 when the leader index does not exist.
     */
    FollowerIndex open(String name, String remoteCluster, String leaderIndex, FollowParameters parameters, Path dir) {
        return open(name, remoteCluster, leaderIndex, parameters, dir, null);
    }

    /**
     * Leader index {@code leaderIndex} of {@code remoteCluster}'s settings and mappings, read now from its meta topic:
     * a 404 when it does not exist, a 503 naming what to check when its Kafka does not answer.
     */
    IndexMetadata leaderMetadata(String remoteCluster, String leaderIndex) {
        ResolvedRemote remote = remotes.resolve(remoteCluster);
        IndexMetadata read;
        try {
            read = new LeaderMetadataReader(remote.kafkaClientProperties(), remote.topics().meta(leaderIndex), timeout)
                    .refresh();
        } catch (Exception e) {
            throw unreadable(remoteCluster, leaderIndex, remote, e);
        }
        if (read == null) {
            throw NotFoundException.index(leaderIndex);
        }
        return read;
    }

    /** A 503 for leader index {@code leaderIndex}'s meta topic not read on {@code remote}'s Kafka, saying why. */
    private static UnavailableException unreadable(String remoteCluster, String leaderIndex, ResolvedRemote remote,
                                                   Exception e) {
        String why = KafkaAccessErrors.advice(e, RemoteClusterSettings.remoteKey(remoteCluster, "kafka."))
                .orElse(e.getMessage() + ". Check that the remote's Kafka is reachable (GET /_remote/info).");
        return new UnavailableException("could not read leader index [" + leaderIndex + "] from remote cluster ["
                + remoteCluster + "] (" + remote.bootstrapServers() + "): " + why, e);
    }

    /**
     * Remote {@code name} as this node resolves it, or, when none of its HTTP addresses answers and this node kept no
     * answer of it, as {@code hostKnows} (null: nothing) has it.
     */
    private ResolvedRemote resolve(String name, FollowerSource hostKnows) {
        try {
            return remotes.resolve(name);
        } catch (UnavailableException e) {
            if (hostKnows == null || hostKnows.remote() == null || !remotes.learn(name, hostKnows.remote())) {
                throw e;
            }
            return remotes.resolve(name);
        }
    }

    /** What node {@code peer} knows of follower index {@code name}, which it hosts; null when it does not answer. */
    private FollowerSource askHost(FollowerPeer peer, String name) {
        try {
            return FollowerSource.ask(peer, name, timeout);
        } catch (java.io.IOException | RuntimeException e) {
            log.info("node [{}] did not say where follower index [{}] comes from ({}); this node asks the leader's"
                    + " cluster alone", peer.name(), name, e.toString());
            return null;
        }
    }

    /**
     * Whether follower {@code name}, just opened, opened with the leader's metadata it kept (the leader's log did not
     * answer): starting it waits on that log, so its caller starts it aside. Asked once per open.
     */
    boolean openedOffline(String name) {
        return offline.remove(name);
    }

    /**
     * {@link #open(String, String, String, FollowParameters, Path)} for a copy of a follower index node {@code peer}
     * of this cluster hosts (null: none): its bootstrap copies the peer's copy ({@link PeerFirstSource}), else the
     * leader's.
     */
    FollowerIndex open(String name, String remoteCluster, String leaderIndex, FollowParameters parameters, Path dir,
                       FollowerPeer peer) {
        // a copy of another node's: what its host knows stands in for what this node kept, if the leader's cluster
        // does not answer
        FollowerSource hostKnows = peer == null ? null : askHost(peer, name);
        ResolvedRemote remote = resolve(remoteCluster, hostKnows);
        TopicNames topics = remote.topics();
        LeaderMetadataReader meta = new LeaderMetadataReader(remote.kafkaClientProperties(), topics.meta(leaderIndex),
                timeout);
        IndexMetadata read;
        offline.remove(name); // says how this open went, not an earlier one
        IndexMetadata onDisk = KeptLeaderMetadata.read(dir);
        IndexMetadata kept = onDisk != null || hostKnows == null ? onDisk : hostKnows.leaderMetadata();
        Long since = down.get(remoteCluster);
        try {
            if (kept != null && remotes.away(remoteCluster)) {
                throw new java.io.IOException("its HTTP addresses did not answer either");
            }
            if (kept != null && since != null && System.nanoTime() - since < DOWN_NANOS) {
                throw new java.io.IOException("it did not answer another follower's read "
                        + (System.nanoTime() - since) / 1_000_000_000 + " s ago");
            }
            read = meta.refresh();
            down.remove(remoteCluster);
        } catch (Exception e) {
            down.putIfAbsent(remoteCluster, System.nanoTime());
            UnavailableException unreadable = unreadable(remoteCluster, leaderIndex, remote, e);
            if (kept == null) {
                throw unreadable; // nothing kept: a new follower, or one that never opened
            }
            log.warn("follower [{}] opens with the leader's metadata it kept: {}", name, unreadable.getMessage());
            read = kept;
            meta.assume(read);
            offline.add(name);
        }
        if (read == null) {
            throw NotFoundException.index(leaderIndex);
        }
        IndexMetadata leader = read;
        if (!leader.equals(onDisk)) {
            KeptLeaderMetadata.write(dir, leader);
        }
        // a part of a follower index spread over nodes (its key names its shard) follows that shard only; its
        // definition is the follower index's, so that its parts share its consumer group and answer under its name
        String index = IndexNames.indexOfPart(name);
        int part = IndexNames.shardOfPart(name);
        ShardSubset subset = part < 0 ? ShardSubset.all(leader.numberOfShards())
                : ShardSubset.of(leader.numberOfShards(), part);
        FollowerDefinition definition = new FollowerDefinition(index, remoteCluster, leaderIndex,
                "kccr-" + clusterName + "-follow-" + index, topics.ops(leaderIndex), topics.meta(leaderIndex),
                parameters);
        // remote recovery (bootstrap) copies the leader's files over its HTTP API; without one known, the follower
        // replays the leader's topic from its start instead
        String uuid = FollowerIndex.uuid(definition.applicationId(), leader.uuid());
        Function<Path, BootstrapJob> bootstrap = remote.httpAddress() == null ? null : shardsDir -> {
            RestoreSource source = new HttpRestoreSource(remotes.http(remoteCluster), remote.httpAddress(), timeout,
                    clusterName, index, uuid, remoteCluster);
            if (peer != null) { // the peer hosts the copy under the same key
                source = new PeerFirstSource(new HttpRestoreSource(peer.http(), peer.baseUrl(), timeout, clusterName,
                        name, uuid, remoteCluster), peer.name(), name, source, PEER_RETRY, PEER_PATIENCE);
            }
            return new BootstrapJob(source, leaderIndex, shardsDir, leader.numberOfShards(), subset.ids(),
                    recoverySettings, recoveryRateLimiter, clock);
        };
        FollowerIndex follower = new FollowerIndex(definition, leader, subset, meta, remote.kafkaClientProperties(),
                dir, runtime, clock, bootstrap);
        follower.addCloseListener(() -> { // mappings learned since it opened
            if (!leader.equals(meta.current())) {
                KeptLeaderMetadata.write(dir, meta.current());
            }
        });
        return follower;
    }
}
