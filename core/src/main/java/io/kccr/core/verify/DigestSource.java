package io.kccr.core.verify;

import java.io.IOException;

/** Where the digests of one index's shards come from: the node's own shards, or another node over HTTP. */
@FunctionalInterface
public interface DigestSource {

    /**
     * Opens the digest of {@code shard}.
     *
     * @param maxSeqNo the checkpoint: documents above it are listed without a hash; null for the shard's own
     *                 applied seq_no
     */
    DigestStream open(int shard, Long maxSeqNo) throws IOException;
}
