package io.kccr.core.verify;

import java.io.Closeable;
import java.io.IOException;

/**
 * A shard's live documents in {@link IdOrder}, one at a time, with constant memory: read from the shard's Lucene
 * reader ({@link ShardDigester}) or from a digest another node streams ({@link DigestNdjson#reader}).
 */
public interface DigestStream extends Closeable {

    /** The shard and where it stood when the stream began. */
    DigestHeader header();

    /**
     * The next document, or null after the last one.
     *
     * @throws IOException when the digest cannot be read, or ended before its end line (a cut-off stream must not
     *                     look like missing documents)
     */
    DocDigest next() throws IOException;

    /** How many documents {@link #next} has returned so far. */
    long count();
}
