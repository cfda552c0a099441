package io.kccr.node.indices;

import io.kccr.core.error.NotFoundException;
import io.kccr.core.index.Wildcards;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.leader.IndexCatalog;
import io.kccr.follower.FollowerIndex;
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

    /**
     * The open index named {@code name} as {@link #read} finds it, whole: a follower index spread over the cluster's
     * nodes, of which this node holds a part only, is a 400 saying where such a request goes.
     */
    public SearchableIndex readWhole(String name) {
        SearchableIndex index = read(name);
        if (index instanceof FollowerIndex part && !part.key().equals(name)) {
            throw io.kccr.core.error.InvalidRequestException.illegalArgument("follower index [" + name + "] is spread"
                    + " over the cluster's nodes, and this request cannot name it yet; search it with POST /" + name
                    + "/_search and get its documents with GET /" + name + "/_doc/<id>");
        }
        return index;
    }

    /** The open index named {@code name} as {@link #read} finds it, or every index ({@link #all}) when it is null. */
    public List<SearchableIndex> readOrAll(String name) {
        return name == null ? all() : List.of(read(name));
    }

    /**
     * The index named {@code name}, open or closed; null when there is none. Of a follower index spread over the
     * cluster's nodes, a part this node hosts stands for it (its settings, mappings and listings); its searches and
     * requests are its parts' ({@code io.kccr.node.cluster.SpreadFollowers}).
     */
    public SearchableIndex find(String name) {
        SearchableIndex leader = leaders.getOrNull(name);
        if (leader != null) {
            return leader;
        }
        SearchableIndex follower = followers.getOrNull(name);
        if (follower != null) {
            return follower;
        }
        List<FollowerIndex> parts = partsOf(name); // looked for only when no index has the name
        return parts.isEmpty() ? null : parts.getFirst();
    }

    public boolean exists(String name) {
        return find(name) != null;
    }

    public boolean isClosed(String name) {
        return closed.isClosed(name);
    }

    /**
     * The indices {@code expression} names, as Elasticsearch resolves a multi-target path with {@code options}: a
     * comma-separated list of names, {@code *} wildcards and {@code -pattern} exclusions (of what the items before
     * it added); {@code _all}, {@code *}, an empty or null expression for every index the wildcards expand to. In
     * name order, each once (each part of a follower index spread over nodes that this node hosts, once).
     *
     * @throws NotFoundException     404 {@code index_not_found_exception} for a missing name (unless ignored), or an
     *                               expression that resolves to none when {@code allowNoIndices} is false
     * @throws io.kccr.core.error.IndexClosedException for a closed index named when closed ones are forbidden
     */
    public List<SearchableIndex> resolve(String expression, IndicesOptions options) {
        java.util.Map<String, SearchableIndex> out = new java.util.TreeMap<>();
        boolean all = expression == null || expression.isBlank() || expression.equals("_all");
        String[] items = all ? new String[] {"*"} : expression.split(",");
        boolean wildcardSeen = false;
        for (String raw : items) {
            String item = raw.strip();
            if (item.startsWith("-") && wildcardSeen) {
                String pattern = item.substring(1);
                out.keySet().removeIf(name -> Wildcards.simpleMatch(pattern, name));
                continue;
            }
            if (item.contains("*")) {
                wildcardSeen = true;
                for (SearchableIndex index : all()) {
                    boolean isClosed = closed.isClosed(index.name());
                    boolean expands = isClosed ? options.expandClosed() && !options.forbidClosed() : options.expandOpen();
                    if (expands && Wildcards.simpleMatch(item, index.name())) {
                        out.put(key(index), index);
                    }
                }
                continue;
            }
            SearchableIndex index = find(item);
            if (index == null) {
                if (!options.ignoreUnavailable()) {
                    leaders.checkNotRed(item); // 503 with the reason, rather than a 404 for an index that exists
                    followers.checkOpened(item);
                    throw NotFoundException.index(item);
                }
                continue;
            }
            if (options.forbidClosed() && closed.isClosed(item)) {
                if (!options.ignoreUnavailable()) {
                    closed.ensureOpen(item);
                }
                continue;
            }
            if (index instanceof FollowerIndex part && !part.key().equals(item)) { // named by its index's name
                partsOf(item).forEach(p -> out.put(key(p), p)); // each part this node hosts
            } else {
                out.put(key(index), index);
            }
        }
        if (out.isEmpty() && !options.allowNoIndices()) {
            throw NotFoundException.index(all ? "_all" : expression);
        }
        return List.copyOf(out.values());
    }

    /**
     * This node's part of {@code expression} in a cluster whose other nodes answer for the follower indices they host
     * ({@code io.kccr.node.cluster.FollowerListings}): as {@link #resolve}, but a name another node hosts is left to
     * it, and an expression resolving to none here is no error (the caller checks {@code allowNoIndices} on the whole
     * listing). A name no node of the cluster knows fails as {@link #resolve} fails for it.
     */
    public List<SearchableIndex> resolveInCluster(String expression, IndicesOptions options) {
        if (expression != null && !options.ignoreUnavailable()) {
            for (String raw : expression.split(",")) {
                String item = raw.strip();
                if (!item.isEmpty() && !item.contains("*") && !item.startsWith("-") && !item.equals("_all")
                        && find(item) == null && !followers.existsInCluster(item)) {
                    resolve(item, options); // the 404 (or 503) resolve answers for it
                }
            }
        }
        return resolve(expression, new IndicesOptions(true, true, options.expandOpen(), options.expandClosed(),
                options.forbidClosed()));
    }

    /** The parts this node hosts of follower index {@code name} spread over the cluster's nodes, in shard order. */
    private List<FollowerIndex> partsOf(String name) {
        return followers.all().stream().filter(f -> !f.subset().isAll() && f.name().equals(name)).toList();
    }

    /** {@code index}'s name, or its part's key for a part of a follower index spread over nodes: each is listed. */
    private static String key(SearchableIndex index) {
        return index instanceof FollowerIndex f ? f.key() : index.name();
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
