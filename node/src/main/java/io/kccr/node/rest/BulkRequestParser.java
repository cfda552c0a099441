package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.leader.WriteCondition;
import io.kccr.node.indices.BulkItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Splits a {@code _bulk} NDJSON body into items. A malformed action line fails the whole request
 * (as Elasticsearch does); a bad source only fails its own item later, when it is mapped.
 */
final class BulkRequestParser {

    /**
     * One action of a bulk request, as sent. Its write condition and update body are checked as the item is
     * carried out, so that an invalid one fails its item alone.
     */
    record Item(String action, String index, String id, byte[] source, Long ifSeqNo, Long ifPrimaryTerm,
                int retryOnConflict) implements BulkItem {
        @Override
        public WriteCondition condition() {
            return RequestParams.condition(action.equals("create"), ifSeqNo, ifPrimaryTerm);
        }

        @Override
        public JsonNode updateBody() {
            return Json.parseObject(source);
        }
    }

    private BulkRequestParser() {
    }

    static List<Item> parse(byte[] body, String defaultIndex) {
        List<Item> items = new ArrayList<>();
        int pos = 0;
        int line = 0;
        while (pos < body.length) {
            int end = lineEnd(body, pos);
            line++;
            if (isBlank(body, pos, end)) {
                pos = end + 1;
                continue;
            }
            JsonNode actionLine = readActionLine(body, pos, end, line);
            Iterator<Map.Entry<String, JsonNode>> fields = actionLine.fields();
            Map.Entry<String, JsonNode> entry = fields.next();
            String action = entry.getKey();
            if (!List.of("index", "create", "delete", "update").contains(action)) {
                throw InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line
                        + "], expected one of [create, delete, index, update] but found [" + action + "]");
            }
            JsonNode meta = entry.getValue();
            String index = meta.hasNonNull("_index") ? meta.get("_index").asText() : defaultIndex;
            if (index == null) {
                throw InvalidRequestException.validation("Validation Failed: 1: index is missing for the action on line [" + line
                                + "]; give _index in the action or use /<index>/_bulk;");
            }
            String id = meta.hasNonNull("_id") ? meta.get("_id").asText() : null;
            Long ifSeqNo = meta.hasNonNull("if_seq_no") ? meta.get("if_seq_no").asLong() : null;
            Long ifTerm = meta.hasNonNull("if_primary_term") ? meta.get("if_primary_term").asLong() : null;
            int retries = meta.hasNonNull("retry_on_conflict") ? meta.get("retry_on_conflict").asInt() : 0;
            pos = end + 1;
            byte[] source = null;
            if (!action.equals("delete")) {
                if (pos >= body.length) {
                    throw InvalidRequestException.illegalArgument("The bulk request must be terminated by a newline [\\n]; the "
                            + action + " action on line [" + line + "] has no source line");
                }
                int srcEnd = lineEnd(body, pos);
                line++;
                source = Arrays.copyOfRange(body, pos, srcEnd);
                pos = srcEnd + 1;
            } else if (id == null) {
                throw InvalidRequestException.validation("Validation Failed: 1: id is missing for the delete on line [" + line + "];");
            }
            if ((action.equals("update")) && id == null) {
                throw InvalidRequestException.validation("Validation Failed: 1: id is missing for the update on line [" + line + "];");
            }
            items.add(new Item(action, index, id, source, ifSeqNo, ifTerm, retries));
        }
        if (items.isEmpty()) {
            throw InvalidRequestException.validation("Validation Failed: 1: no requests added;");
        }
        return items;
    }

    private static JsonNode readActionLine(byte[] body, int from, int to, int line) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body, from, to - from);
        } catch (IOException e) {
            throw InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line + "]: " + e.getMessage());
        }
        if (node == null || !node.isObject() || node.size() != 1 || !node.elements().next().isObject()) {
            throw InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line
                    + "], expected an object with exactly one action, e.g. {\"index\":{\"_id\":\"1\"}}");
        }
        return node;
    }

    private static int lineEnd(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return body.length;
    }

    private static boolean isBlank(byte[] body, int from, int to) {
        for (int i = from; i < to; i++) {
            if (body[i] != ' ' && body[i] != '\r' && body[i] != '\t') {
                return false;
            }
        }
        return true;
    }
}
