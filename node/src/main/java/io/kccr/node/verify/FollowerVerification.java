package io.kccr.node.verify;

import io.kccr.core.error.FailedException;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.verify.DigestComparator;
import io.kccr.core.verify.DigestStream;
import io.kccr.core.verify.IndexDigestSource;
import io.kccr.core.verify.Verifier;
import io.kccr.core.verify.VerifyReport;
import io.kccr.follower.FollowerIndex;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.remote.HttpDigestSource;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.remote.ResolvedRemote;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Verification of a follower against its leader, document by document ({@code io.kccr.core.verify}): the
 * follower's shards are read here, the leader's digests from the remote cluster's HTTP address, which serves
 * them from {@link #digest}. Thread-safe.
 */
public final class FollowerVerification {
    /** How long the leader gets to answer a digest: its own wait for the checkpoint, and a margin. */
    private static final Duration LEADER_TIMEOUT = IndexDigestSource.CHECKPOINT_WAIT.plusSeconds(20);

    private final IndexResolver indices;
    private final FollowerCatalog followers;
    private final RemoteClusters remotes;
    private final Clock clock;

    public FollowerVerification(IndexResolver indices, FollowerCatalog followers, RemoteClusters remotes,
                                Clock clock) {
        this.indices = indices;
        this.followers = followers;
        this.remotes = remotes;
        this.clock = clock;
    }

    /**
     * Opens the digest of shard {@code shard} of open index {@code index}, leader or follower, up to
     * {@code maxSeqNo} (null: the shard's own checkpoint). The caller closes it.
     */
    public DigestStream digest(String index, int shard, Long maxSeqNo) throws IOException {
        return new IndexDigestSource(indices.readWhole(index), clock).open(shard, maxSeqNo);
    }

    /**
     * Compares follower {@code name} with its leader, shard by shard, listing at most {@code maxDifferences}
     * differences of each type per shard.
     *
     * @param maxSeqNo compare up to this seq_no; null for each follower shard's applied seq_no
     * @throws InvalidRequestException when the index is no follower, or its remote has no HTTP address
     * @throws FailedException         when a digest cannot be read from either side
     */
    public VerifyReport verify(String name, Long maxSeqNo, int maxDifferences) {
        SearchableIndex index = indices.readWhole(name);
        FollowerIndex follower = followers.getOrNull(name);
        if (follower == null) {
            throw InvalidRequestException.illegalArgument("index [" + name + "] is not a follower index: it has no"
                    + " leader to verify against; to compare any two indices run kccr verify --leader <url>"
                    + " --follower <url> <leader-index> <follower-index>");
        }
        String remoteCluster = follower.definition().remoteCluster();
        String leaderIndex = follower.definition().leaderIndex();
        ResolvedRemote remote = remotes.resolve(remoteCluster);
        if (remote.httpAddress() == null) {
            throw InvalidRequestException.illegalArgument("remote cluster [" + remoteCluster + "] has no HTTP address"
                    + " to read the leader's digests from; set cluster.remote." + remoteCluster + ".seeds or"
                    + " cluster.remote." + remoteCluster + ".http");
        }
        io.kccr.node.remote.RemoteHttp remoteHttp = remotes.http(remoteCluster);
        HttpDigestSource leader = new HttpDigestSource(remoteHttp.client(), remote.httpAddress(), leaderIndex,
                LEADER_TIMEOUT, remoteHttp.authorization());
        try {
            // a part of a follower index spread over nodes compares its own shards; the parts' reports make the index's
            List<Integer> only = follower.subset().isAll() ? null : follower.subset().ids();
            return new Verifier(new DigestComparator(maxDifferences), clock).verify(leaderIndex, leader, name,
                    new IndexDigestSource(index, clock), maxSeqNo, only, (report, shards) -> { });
        } catch (IOException e) {
            throw new FailedException("could not compare [" + name + "] with leader index [" + leaderIndex
                    + "] of remote cluster [" + remoteCluster + "]: " + e.getMessage()
                    + "; check that the leader is reachable (GET /_remote/info) and retry", e);
        }
    }
}
