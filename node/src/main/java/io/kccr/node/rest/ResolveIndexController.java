package io.kccr.node.rest;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.UnavailableException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.node.autofollow.AutoFollowPattern;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.core.shard.SearchableIndex;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Elasticsearch's resolve index API, {@code GET /_resolve/index/<expression>}: the indices a comma-separated list
 * of names and {@code *} patterns resolves to, local ones ({@code cities*}) and remote ones
 * ({@code leader:cities*}, read from the remote's indices topic; the names come back prefixed with the remote).
 * What the console suggests leader indices from. No aliases or data streams here: those lists are always empty.
 * Client IO only.
 */
final class ResolveIndexController {
    private final IndexResolver indices;
    private final AutoFollower.LeaderIndexNames remoteIndices;

    ResolveIndexController(IndexResolver indices, AutoFollower.LeaderIndexNames remoteIndices) {
        this.indices = indices;
        this.remoteIndices = remoteIndices;
    }

    /** {@code GET /_resolve/index/<expression>}. */
    void resolve(Context ctx) {
        TreeMap<String, String> found = new TreeMap<>(); // name -> "open" / "closed"
        for (String expression : ctx.pathParam("name").split(",")) {
            String expr = expression.strip();
            int colon = expr.indexOf(':');
            if (colon > 0) {
                String remote = expr.substring(0, colon);
                String pattern = expr.substring(colon + 1);
                for (String name : remote(remote)) {
                    if (AutoFollowPattern.simpleMatch(pattern, name)) {
                        found.put(remote + ":" + name, "open");
                    }
                }
                continue;
            }
            boolean any = false;
            for (SearchableIndex index : indices.all()) {
                if (AutoFollowPattern.simpleMatch(expr.equals("_all") ? "*" : expr, index.name())) {
                    found.put(index.name(), indices.isClosed(index.name()) ? "closed" : "open");
                    any = true;
                }
            }
            if (!any && !expr.contains("*") && !expr.equals("_all")) {
                throw NotFoundException.index(expr);
            }
        }
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("indices");
        found.forEach((name, state) -> {
            ObjectNode index = list.addObject();
            index.put("name", name);
            index.putArray("attributes").add(state);
        });
        out.putArray("aliases");
        out.putArray("data_streams");
        Responses.json(ctx, 200, out);
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
