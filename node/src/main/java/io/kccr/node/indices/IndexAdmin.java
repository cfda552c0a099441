package io.kccr.node.indices;

import io.kccr.core.error.AlreadyExistsException;
import io.kccr.core.index.IndexNames;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.mapping.Mappings;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.leader.LeaderIndex;
import io.kccr.node.follow.FollowerCatalog;
import java.io.IOException;

/**
 * What the index APIs do to the node's indices: create, delete, change mappings, refresh, flush. A name
 * is taken by a leader or a follower index alike; a delete removes whichever holds it. Thread-safe.
 */
public final class IndexAdmin {
    private final IndexCatalog leaders;
    private final FollowerCatalog followers;
    private final IndexResolver indices;
    private final ClosedIndices closed;

    public IndexAdmin(IndexCatalog leaders, FollowerCatalog followers, IndexResolver indices, ClosedIndices closed) {
        this.leaders = leaders;
        this.followers = followers;
        this.indices = indices;
        this.closed = closed;
    }

    /**
     * Creates leader index {@code name}.
     *
     * @throws io.kccr.core.error.InvalidRequestException {@code invalid_index_name_exception} for a name
     *                                                    Elasticsearch would refuse
     * @throws AlreadyExistsException                     when a leader or follower index has the name
     */
    public LeaderIndex create(String name, IndexSettings settings, Mappings mappings) {
        IndexNames.validate(name);
        SearchableIndex existing = indices.find(name);
        if (existing != null) {
            throw new AlreadyExistsException(name, existing.metadata().uuid());
        }
        return leaders.create(name, settings, mappings);
    }

    /**
     * Deletes index {@code name}, a follower (which stops following) or a leader; 404 when there is none. Whether it
     * was closed is forgotten with it: an index created again under the name starts open.
     */
    public void delete(String name) throws IOException {
        if (followers.exists(name)) {
            followers.remove(name);
        } else {
            leaders.delete(name);
        }
        closed.forget(name);
    }

    /** Adds {@code additions} to the mappings of leader index {@code name}; changing a field's type is a 400. */
    public void putMappings(String name, Mappings additions) {
        leaders.get(name).putMappings(additions);
    }

    /** Refreshes the open index {@code name}, or every index when it is null; returns the shards refreshed. */
    public int refresh(String name) {
        int shards = 0;
        for (SearchableIndex index : indices.readOrAll(name)) {
            index.refresh();
            shards += index.heldShards().size();
        }
        return shards;
    }

    /**
     * Makes a Lucene commit of every shard of leader index {@code name}, or of every leader index when null
     * ({@code POST /_flush}); returns the shards flushed.
     */
    public int flush(String name) {
        int shards = 0;
        for (LeaderIndex index : name == null ? leaders.all() : java.util.List.of(leaders.get(name))) {
            index.flush();
            shards += index.metadata().numberOfShards();
        }
        return shards;
    }
}
