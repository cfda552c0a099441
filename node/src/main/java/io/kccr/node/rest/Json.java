package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The REST layer's JSON: one shared mapper, and request bodies parsed with Elasticsearch's errors. */
final class Json {
    /**
     * Reads request bodies and writes responses. Response records are written with their components in
     * declaration order, named in snake_case ({@code clusterUuid} is {@code cluster_uuid}); a name snake_case
     * cannot give (a leading underscore as in {@code _id}, a dot as in {@code docs.count}) is set with
     * {@code @JsonProperty}. Thread-safe; configured here once. Its parsers' and generators' buffers come from a
     * pool all threads share: Jackson's default keeps them per thread, and every request runs on a new virtual
     * thread, so each one allocated them afresh.
     */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The body as JSON; an empty body is a missing node; malformed JSON is a 400 {@code parse_exception}. */
    static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0 || isBlank(body)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.parse("request body is not valid JSON: " + e.getOriginalMessage()
                    + "; send a JSON object", e);
        } catch (IOException e) {
            throw InvalidRequestException.parse("could not read the request body: " + e.getMessage());
        }
    }

    /** The body, which must be a JSON object when present. */
    static JsonNode parseObject(byte[] body) {
        JsonNode node = parse(body);
        if (!node.isMissingNode() && !node.isObject()) {
            throw InvalidRequestException.parse("request body must be a JSON object, got " + node.getNodeType());
        }
        return node;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }
}
