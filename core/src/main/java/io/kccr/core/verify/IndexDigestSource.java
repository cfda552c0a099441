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
     *                      follower still copies its leader's files
     */
    @Override
    public DigestStream open(int shard, Long maxSeqNo) throws IOException {
        int shards = index.metadata().numberOfShards();
        if (shard < 0 || shard >= shards) {
            throw NotFoundException.shard(index.name(), "no such shard [" + shard + "] in index ["
                    + index.name() + "], which has shards 0 to " + (shards - 1));
        }
        List<? extends LuceneShard> open = index.shards();
        if (open.size() < shards) {
            throw new UnavailableException("index [" + index.name() + "] is still copying its leader's files"
                    + " (bootstrapping); verify it when GET /" + index.name() + "/_recovery shows it done", null);
        }
        return ShardDigester.open(index.name(), shards, open.get(shard), maxSeqNo, CHECKPOINT_WAIT, clock);
    }
}
