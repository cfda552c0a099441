package io.kccr.node.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.leader.recovery.SessionHolder;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /<leader>/_ccr/forget_follower} as Elasticsearch reads it: four required strings
 * ({@code follower_cluster}, {@code follower_index}, {@code follower_index_uuid}, {@code leader_remote_cluster});
 * missing ones are a 400 {@code illegal_argument_exception} {@code Required [a, b]}, an unknown field or a value
 * that is no string a 400 {@code x_content_parse_exception}; and its answer.
 */
final class ForgetFollowerRequest {
    private static final String PARSER = "forget_follower";
    private static final List<String> FIELDS = List.of("follower_cluster", "follower_index", "follower_index_uuid",
            "leader_remote_cluster");

    private ForgetFollowerRequest() {
    }

    /** Elasticsearch's answer: the leader index's shards, every one of which forgot the follower. */
    record Response(@JsonProperty("_shards") Shards shards) {
    }

    /** Elasticsearch's {@code _shards}. */
    record Shards(int total, int successful, int failed, List<Object> failures) {
    }

    /** The follower {@code body} names. */
    static SessionHolder parse(JsonNode body) {
        if (body.isMissingNode()) {
            throw InvalidRequestException.validation("Validation Failed: 1: request body is missing;");
        }
        body.fieldNames().forEachRemaining(key -> {
            if (!FIELDS.contains(key)) {
                throw InvalidRequestException.contentParse("[" + PARSER + "] unknown field [" + key + "]");
            }
        });
        List<String> missing = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (String field : FIELDS) {
            JsonNode v = body.get(field);
            if (v == null || v.isNull()) {
                missing.add(field);
                values.add(null);
            } else if (!v.isTextual()) {
                throw InvalidRequestException.contentParse("[" + PARSER + "] " + field + " doesn't support values of"
                        + " type: " + v.getNodeType());
            } else {
                values.add(v.asText());
            }
        }
        if (!missing.isEmpty()) {
            throw InvalidRequestException.illegalArgument("Required [" + String.join(", ", missing) + "]");
        }
        return new SessionHolder(values.get(0), values.get(1), values.get(2), values.get(3));
    }
}
