package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The {@code settings} of a follow request or an auto-follow pattern, checked as Elasticsearch checks them: a
 * follower takes its leader's replicated settings ({@code index.number_of_shards}, analysis, mappings-related ones),
 * so naming one is Elasticsearch's 400 {@code can not put follower index that could override leader settings {...}}.
 * Of the settings Elasticsearch does not replicate, {@code index.number_of_replicas} is taken (a follower has no
 * replicas here, whatever it says); the others (e.g. {@code index.refresh_interval}) cannot be given to a follower
 * here yet and are a 400 that says so, never accepted and ignored. Stateless.
 */
public final class FollowerSettings {
    /** Settings Elasticsearch does not replicate to a follower, which a follow request may therefore give. */
    private static final Set<String> NON_REPLICATED = Set.of("index.number_of_replicas", "index.auto_expand_replicas",
            "index.refresh_interval", "index.max_result_window", "index.hidden", "index.priority");
    /** Of those, the ones taken here. */
    private static final Set<String> TAKEN = Set.of("index.number_of_replicas");

    private FollowerSettings() {
    }

    /**
     * Checks {@code settings} (null for none) of a follow request.
     *
     * @throws InvalidRequestException 400 {@code illegal_argument_exception} for a replicated setting (Elasticsearch's
     *                                 message) or one that a follower cannot take here
     */
    public static void check(JsonNode settings) {
        IndexSettings parsed = IndexSettings.fromJson(settings);
        Map<String, String> replicated = new TreeMap<>();
        parsed.flat().forEach((key, value) -> {
            if (!NON_REPLICATED.contains(key) && !key.startsWith("index.routing.allocation.")
                    && !key.startsWith("index.blocks.")) {
                replicated.put(key, value);
            }
        });
        if (!replicated.isEmpty()) {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            replicated.forEach(json::put);
            throw InvalidRequestException.illegalArgument("can not put follower index that could override leader"
                    + " settings " + json);
        }
        for (String key : parsed.flat().keySet()) {
            if (!TAKEN.contains(key)) {
                throw InvalidRequestException.illegalArgument("setting [" + key + "] cannot be given to a follower"
                        + " index here: it takes its leader's; leave it out of the follow request");
            }
        }
    }
}
