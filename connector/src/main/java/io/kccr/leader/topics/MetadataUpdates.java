package io.kccr.leader.topics;

import io.kccr.core.index.IndexMetadata;
import java.util.function.UnaryOperator;

/**
 * How a leader index changes its metadata (new mappings): the change is applied to the index's latest metadata and
 * the result published to its {@code .meta} topic before it is returned, so that no op names a mapping a follower or
 * a replica cannot have. A change may throw (e.g. a mapping conflict): nothing is published then.
 */
public interface MetadataUpdates {

    /**
     * Applies {@code change} to the index's latest metadata ({@code known} is the caller's, which may be behind),
     * publishes the result unless it is unchanged, and returns it.
     */
    IndexMetadata update(IndexMetadata known, UnaryOperator<IndexMetadata> change) throws Exception;

    /**
     * For a node alone with its indices: the caller's metadata is the latest, the result is published as it is.
     */
    static MetadataUpdates direct(MetadataLog log) {
        return (known, change) -> {
            IndexMetadata next = change.apply(known);
            if (next != known) {
                log.publishMetadata(next);
            }
            return next;
        };
    }
}
