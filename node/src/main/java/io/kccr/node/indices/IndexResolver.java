package io.kccr.node.indices;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.node.follow.FollowerCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Finds the index a read goes to: a leader or a follower index of this node, open. Thread-safe. */
public final class IndexResolver {
    private final IndexCatalog leaders;
    private final FollowerCatalog followers;
    private final ClosedIndices closed;

    public IndexResolver(IndexCatalog leaders, FollowerCatalog followers, ClosedIndices closed) {
        this.leaders = leaders;
        this.followers = followers;
        this.closed = closed;
    }

    /** The open index named {@code name}; 404 {@code index_not_found_exception}, 400 {@code index_closed_exception}. */
    public SearchableIndex read(String name) {
        SearchableIndex index = find(name);
        if (index == null) {
            leaders.checkNotRed(name);
            followers.checkOpened(name);
            throw NotFoundException.index(name);
        }
        closed.ensureOpen(name);
        return index;
    }

    /** The open index named {@code name} as {@link #read} finds it, or every index ({@link #all}) when it is null. */
    public List<SearchableIndex> readOrAll(String name) {
        return name == null ? all() : List.of(read(name));
    }

    /** The index named {@code name}, open or closed; null when there is none. */
    public SearchableIndex find(String name) {
        SearchableIndex leader = leaders.getOrNull(name);
        return leader != null ? leader : followers.getOrNull(name);
    }

    public boolean exists(String name) {
        return find(name) != null;
    }

    public boolean isClosed(String name) {
        return closed.isClosed(name);
    }

    /** The leader indices that failed to open (red), by name. */
    public java.util.Map<String, io.kccr.leader.FailedIndex> red() {
        return leaders.failed();
    }

    /** Every index, leaders and followers, by name. */
    public List<SearchableIndex> all() {
        List<SearchableIndex> out = new ArrayList<>(leaders.all());
        out.addAll(followers.all());
        out.sort(Comparator.comparing(SearchableIndex::name));
        return out;
    }
}
