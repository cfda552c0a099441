package io.kccr.node.indices;

import io.kccr.core.index.Wildcards;
import io.kccr.node.remote.RemoteIndexNames;
import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import io.kccr.core.shard.SearchableIndex;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves index expressions as Elasticsearch's resolve index API does: a comma-separated list of names and
 * {@code *} patterns, local ones ({@code cities*}) and remote ones ({@code leader:cities*}, read from the remote's
 * indices topic; the names come back prefixed with the remote). No aliases or data streams here. Thread-safe.
 */
public final class IndexExpressions {
    private final IndexResolver indices;
    private final RemoteIndexNames remoteIndices;

    public IndexExpressions(IndexResolver indices, RemoteIndexNames remoteIndices) {
        this.indices = indices;
        this.remoteIndices = remoteIndices;
    }

    /**
     * The indices {@code expressions} names, sorted by name, each with whether it is closed (a remote index counts
     * as open).
     *
     * @throws NotFoundException    for a local name (not a pattern, not {@code _all}) that no index has
     * @throws UnavailableException when a remote's indices cannot be read
     */
    public SortedMap<String, Boolean> resolve(String expressions) {
        SortedMap<String, Boolean> found = new TreeMap<>();
        for (String expression : expressions.split(",")) {
            String expr = expression.strip();
            int colon = expr.indexOf(':');
            if (colon > 0) {
                String remote = expr.substring(0, colon);
                String pattern = expr.substring(colon + 1);
                for (String name : remote(remote)) {
                    if (Wildcards.simpleMatch(pattern, name)) {
                        found.put(remote + ":" + name, false);
                    }
                }
                continue;
            }
            boolean any = false;
            for (SearchableIndex index : indices.all()) {
                if (Wildcards.simpleMatch(expr.equals("_all") ? "*" : expr, index.name())) {
                    found.put(index.name(), indices.isClosed(index.name()));
                    any = true;
                }
            }
            if (!any && !expr.contains("*") && !expr.equals("_all")) {
                throw NotFoundException.index(expr);
            }
        }
        return found;
    }

    private Set<String> remote(String remote) {
        try {
            return new TreeSet<>(remoteIndices.read(remote));
        } catch (KccrException e) {
            throw e;
        } catch (Exception e) {
            throw UnavailableException.remote("could not read the indices of remote cluster ["
                    + remote + "]: " + e.getMessage() + "; check GET /_remote/info for its connection state", e);
        }
    }
}
