package io.kccr.node.rest;

import io.kccr.core.error.NotFoundException;
import io.kccr.node.indices.ClosedIndices;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.IndexCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds the index a read goes to: a leader or a follower index of this node, open. */
final class IndexResolver {
    private final IndexCatalog leaders;
    private final FollowerCatalog followers;
    private final ClosedIndices closed;

    IndexResolver(IndexCatalog leaders, FollowerCatalog followers, ClosedIndices closed) {
        this.leaders = leaders;
        this.followers = followers;
        this.closed = closed;
    }

    /** The open index named {@code name}; 404 {@code index_not_found_exception}, 400 {@code index_closed_exception}. */
    SearchableIndex read(String name) {
        SearchableIndex index = find(name);
        if (index == null) {
            throw NotFoundException.index(name);
        }
        closed.ensureOpen(name);
        return index;
    }

    SearchableIndex find(String name) {
        SearchableIndex leader = leaders.getOrNull(name);
        return leader != null ? leader : followers.getOrNull(name);
    }

    boolean exists(String name) {
        return find(name) != null;
    }

    boolean isClosed(String name) {
        return closed.isClosed(name);
    }

    /** Every index, leaders and followers, by name. */
    List<SearchableIndex> all() {
        List<SearchableIndex> out = new ArrayList<>(leaders.all());
        out.addAll(followers.all());
        out.sort(Comparator.comparing(SearchableIndex::name));
        return out;
    }
}
