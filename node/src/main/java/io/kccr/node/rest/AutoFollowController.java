package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.node.follow.FollowRequests;
import io.kccr.node.follow.FollowerSettings;
import io.kccr.follower.FollowerIndexSettings;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.javalin.http.Context;
import io.kccr.node.autofollow.AutoFollowPattern;
import io.kccr.node.autofollow.AutoFollower;
import io.kccr.follower.FollowParameters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Elasticsearch's auto-follow pattern APIs ({@code /_ccr/auto_follow}) with its fields and errors. Client IO only:
 * each parses and checks its request, calls the {@link AutoFollower}, and renders what it answers as records.
 */
final class AutoFollowController {
    /** Elasticsearch's name of the request, as its parser names it in errors. */
    private static final String PARSER = "put_auto_follow_pattern_request";
    /** What the body takes besides the ten follow parameters. */
    private static final Set<String> PUT_KEYS = Set.of("remote_cluster", "leader_index_patterns",
            "leader_index_exclusion_patterns", "follow_index_pattern", "settings");

    private final AutoFollower autoFollower;

    AutoFollowController(AutoFollower autoFollower) {
        this.autoFollower = autoFollower;
    }

    /** {@code PUT /_ccr/auto_follow/<name>}. */
    void put(Context ctx) {
        String name = ctx.pathParam("name");
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        FollowRequests.Body request = FollowRequests.read(body, PARSER, PUT_KEYS);
        if (!body.hasNonNull("remote_cluster")) {
            request.error("[remote_cluster] is missing");
        }
        if (!body.hasNonNull("leader_index_patterns") || body.get("leader_index_patterns").isEmpty()) {
            request.error("[leader_index_patterns] is missing");
        }
        FollowParameters parameters = request.validate().followParameters();
        FollowerIndexSettings settings = FollowerSettings.parse(body.get("settings"));
        JsonNode followPattern = body.get("follow_index_pattern");
        if (followPattern != null && !followPattern.isNull() && !followPattern.isTextual()) {
            throw InvalidRequestException.parsing("[follow_index_pattern] must be a string, got [" + followPattern + "]");
        }
        autoFollower.put(name, body.get("remote_cluster").asText(), strings(body, "leader_index_patterns"),
                strings(body, "leader_index_exclusion_patterns"),
                followPattern == null || followPattern.isNull() ? null : followPattern.asText(), parameters, settings);
        Responses.acknowledged(ctx);
    }

    private static List<String> strings(JsonNode body, String field) {
        JsonNode v = body.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            throw InvalidRequestException.parsing("[" + field + "] must be a list of index name patterns, got [" + v + "]");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw InvalidRequestException.parsing("[" + field + "] must be a list of index name patterns, got ["
                        + e + "] in it");
            }
            out.add(e.asText());
        }
        return out;
    }

    /** {@code GET /_ccr/auto_follow} and {@code GET /_ccr/auto_follow/<name>}. */
    void get(Context ctx) {
        String name = ctx.pathParamMap().get("name");
        List<AutoFollowPattern> list = name == null ? autoFollower.all() : List.of(autoFollower.get(name));
        AutoFollowPatterns body = new AutoFollowPatterns(list.stream().map(NamedPattern::of).toList());
        Responses.json(ctx, 200, json -> Json.MAPPER.writeValue(json, body));
    }

    /** The body of {@code GET /_ccr/auto_follow}. */
    record AutoFollowPatterns(List<NamedPattern> patterns) {
    }

    /** One pattern, as Elasticsearch shows it. */
    record NamedPattern(String name, PatternJson pattern) {
        static NamedPattern of(AutoFollowPattern p) {
            Map<String, Object> fields = new LinkedHashMap<>();
            if (!p.settings().isEmpty()) { // nested, as Elasticsearch renders a pattern's settings
                ObjectNode flat = Json.object();
                p.settings().forEach(flat::put);
                fields.put("settings", IndexStatsController.nest(flat));
            }
            fields.putAll(p.parameters().toJson());
            return new NamedPattern(p.name(), new PatternJson(p.active(), p.remoteCluster(), p.leaderIndexPatterns(),
                    p.exclusionPatterns(), p.followIndexPattern(), fields));
        }
    }

    /** A pattern's fields, the follow parameters among them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PatternJson(boolean active, String remoteCluster, List<String> leaderIndexPatterns,
                       List<String> leaderIndexExclusionPatterns, String followIndexPattern,
                       @JsonAnyGetter @JsonAnySetter Map<String, Object> parameters) {
    }

    /** {@code DELETE /_ccr/auto_follow/<name>}. */
    void delete(Context ctx) {
        autoFollower.delete(ctx.pathParam("name"));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /_ccr/auto_follow/<name>/pause}. */
    void pause(Context ctx) {
        autoFollower.pause(ctx.pathParam("name"));
        Responses.acknowledged(ctx);
    }

    /** {@code POST /_ccr/auto_follow/<name>/resume}. */
    void resume(Context ctx) {
        autoFollower.resume(ctx.pathParam("name"));
        Responses.acknowledged(ctx);
    }

}
