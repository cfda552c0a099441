package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.index.IndexSettings;
import io.kccr.follower.FollowerIndexSettings;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code settings} of a follow request, of an auto-follow pattern and of {@code PUT /<follower>/_settings},
 * checked as Elasticsearch checks them: a follower takes its leader's replicated settings
 * ({@code index.number_of_shards}, analysis, mappings-related ones), so naming one is Elasticsearch's 400
 * {@code can not put follower index that could override leader settings {...}}. Of the settings Elasticsearch does not
 * replicate, those {@link FollowerIndexSettings#APPLIED} here are taken and act ({@code index.refresh_interval},
 * {@code index.search.idle.after}, {@code index.max_result_window}; {@code index.number_of_replicas} is shown, there
 * being no replicas here); the others mean nothing here and are a 400 that says so, never accepted and ignored.
 * Stateless.
 */
public final class FollowerSettings {
    private FollowerSettings() {
    }

    /**
     * A follow request's or auto-follow pattern's {@code settings} (null for none), checked.
     *
     * @throws InvalidRequestException 400 {@code illegal_argument_exception} for a replicated setting (Elasticsearch's
     *                                 message), one that means nothing here or a bad value; nothing is changed
     */
    public static FollowerIndexSettings parse(JsonNode settings) {
        IndexSettings parsed = IndexSettings.fromJson(settings);
        check(parsed.flat().keySet(), parsed.flat());
        return new FollowerIndexSettings(parsed);
    }

    /**
     * {@code current} updated by the body of {@code PUT /<follower>/_settings} ({@code {"index":{...}}}, dotted, or
     * under {@code settings}): a {@code null} value takes the setting back to its default; with
     * {@code preserveExisting}, settings the follower has already keep their value.
     *
     * @throws InvalidRequestException 400 as for {@link #parse}; nothing is changed
     */
    public static FollowerIndexSettings update(FollowerIndexSettings current, JsonNode body, boolean preserveExisting) {
        if (body == null || !body.isObject() || body.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no settings to update;");
        }
        JsonNode settings = body.size() == 1 && body.get("settings") instanceof ObjectNode inner ? inner : body;
        Set<String> reset = new TreeSet<>();
        nulls(settings, "", reset);
        IndexSettings given = IndexSettings.fromJson(settings);
        Set<String> named = new TreeSet<>(given.flat().keySet());
        named.addAll(reset);
        check(named, given.flat());
        Map<String, String> merged = new TreeMap<>(current.own().flat());
        reset.forEach(merged::remove);
        given.flat().forEach((key, value) -> {
            if (!preserveExisting || !merged.containsKey(key)) {
                merged.put(key, value);
            }
        });
        return new FollowerIndexSettings(IndexSettings.fromJson(toJson(merged)));
    }

    /**
     * Refuses an update of follower index {@code name}'s settings from {@code before} to {@code after} that changes
     * {@link FollowerIndexSettings#TOTAL_SHARDS_PER_NODE}: it says, once it is followed, whether its shards are spread.
     */
    public static void checkFixed(String name, FollowerIndexSettings before, FollowerIndexSettings after) {
        if (after.totalShardsPerNode() != before.totalShardsPerNode()) {
            throw InvalidRequestException.illegalArgument("[" + FollowerIndexSettings.TOTAL_SHARDS_PER_NODE + "] of"
                    + " follower index [" + name + "] is set when it is followed, and fixed: it says whether its"
                    + " shards are spread over the nodes; to change it, follow the leader again as a new index");
        }
    }

    private static ObjectNode toJson(Map<String, String> flat) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        flat.forEach(json::put);
        return json;
    }

    /** The keys given {@code null} (reset), with the {@code index.} prefix. */
    private static void nulls(JsonNode node, String prefix, Set<String> out) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                nulls(e.getValue(), key + ".", out);
            } else if (e.getValue().isNull()) {
                out.add(key.startsWith("index.") ? key : "index." + key);
            }
        }
    }

    private static void check(Set<String> keys, Map<String, String> values) {
        Map<String, String> replicated = new TreeMap<>();
        for (String key : keys) {
            if (FollowerIndexSettings.replicated(key)) {
                replicated.put(key, values.get(key));
            }
        }
        if (!replicated.isEmpty()) {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            replicated.forEach(json::put);
            throw InvalidRequestException.illegalArgument("can not put follower index that could override leader"
                    + " settings " + json);
        }
        String perNode = values.get(FollowerIndexSettings.TOTAL_SHARDS_PER_NODE);
        if (perNode != null && !perNode.matches("-1|[1-9][0-9]{0,8}")) {
            throw InvalidRequestException.illegalArgument("Failed to parse value [" + perNode + "] for setting ["
                    + FollowerIndexSettings.TOTAL_SHARDS_PER_NODE + "]: give -1 (no limit) or a number of shards of at"
                    + " least 1");
        }
        for (String key : keys) {
            if (!FollowerIndexSettings.APPLIED.contains(key)) {
                throw InvalidRequestException.illegalArgument("setting [" + key + "] has no effect on a follower index"
                        + " here, so it is not taken; leave it out (a follower here takes only "
                        + new TreeSet<>(FollowerIndexSettings.APPLIED) + ")");
            }
        }
    }
}
