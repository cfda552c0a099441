package io.kccr.core.verify;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.shard.LuceneShard;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.verify.DigestSource;
import io.kccr.core.verify.DigestStream;
import io.kccr.core.verify.ShardDigester;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The digests of an index of this node, leader or follower, read from its shards. Thread-safe. */
public final class IndexDigestSource implements DigestSource {
    /** How long a digest with a {@code max_seq_no} waits for the shard to have applied that far. */
    public static final Duration CHECKPOINT_WAIT = Duration.ofSeconds(10);

    private final SearchableIndex index;
    private final Clock clock;

    public IndexDigestSource(SearchableIndex index, Clock clock) {
        this.index = index;
        this.clock = clock;
    }

    /**
     * @throws KccrException 404 {@code shard_not_found_exception} for a shard the index does not have; 503 while a
     *                      follower still copies its leader's files, or for a shard this node holds no copy of
     */
    @Override
    public DigestStream open(int shard, Long maxSeqNo) throws IOException {
        int shards = index.metadata().numberOfShards();
        if (shard < 0 || shard >= shards) {
            throw NotFoundException.shard(index.name(), "no such shard [" + shard + "] in index ["
                    + index.name() + "], which has shards 0 to " + (shards - 1));
        }
        LuceneShard copy = index.shards().stream().filter(s -> s.shardId() == shard).findFirst().orElse(null);
        if (copy == null) {
            throw new UnavailableException("index [" + index.name() + "] has no open copy of shard [" + shard + "]"
                    + " here: a follower still copying its leader's files (verify it when GET /" + index.name()
                    + "/_recovery shows it done), or a shard another node holds", null);
        }
        return ShardDigester.open(index.name(), shards, copy, maxSeqNo, CHECKPOINT_WAIT, clock);
    }
}
