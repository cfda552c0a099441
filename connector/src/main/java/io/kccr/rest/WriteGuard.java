package io.kccr.rest;

import io.kccr.core.index.IndexNames;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;

/**
 * Decides which index a write may go to: an existing leader index, or a new one created on the
 * first write as Elasticsearch's {@code action.auto_create_index} does. Names are checked first.
 */
final class WriteGuard {
    private final IndexCatalog catalog;

    WriteGuard(IndexCatalog catalog) {
        this.catalog = catalog;
    }

    /** The index to write to, created with default settings if it does not exist yet. */
    LeaderIndex writableIndex(String name) {
        IndexNames.validate(name);
        return catalog.getOrCreate(name);
    }

    /** The existing index to write to; 404 when there is none (deletes do not create indices). */
    LeaderIndex writableExistingIndex(String name) {
        return catalog.get(name);
    }
}
