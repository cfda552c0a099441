package io.kccr.node.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.leader.WriteCondition;
import io.kccr.node.indices.BulkItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
            ActionLine actionLine = readActionLine(body, pos, end, line);
            String action = actionLine.action();
            if (!ACTIONS.contains(action)) {
                throw InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line
                        + "], expected one of [create, delete, index, update] but found [" + action + "]");
            }
            String index = actionLine.index() != null ? actionLine.index() : defaultIndex;
            if (index == null) {
                throw InvalidRequestException.validation("Validation Failed: 1: index is missing for the action on line [" + line
                                + "]; give _index in the action or use /<index>/_bulk;");
            }
            String id = actionLine.id();
            Long ifSeqNo = actionLine.ifSeqNo();
            Long ifTerm = actionLine.ifPrimaryTerm();
            int retries = actionLine.retryOnConflict();
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

    private static final List<String> ACTIONS = List.of("index", "create", "delete", "update");

    /** The parts of an action line the bulk uses; a part not given is null (0 for the retries). */
    private record ActionLine(String action, String index, String id, Long ifSeqNo, Long ifPrimaryTerm,
                              int retryOnConflict) {
    }

    /**
     * Reads an action line with a streaming parser: the bulk's most frequent parse, so no tree is built for it.
     * Values are read as a tree's {@code asText}/{@code asLong}/{@code asInt} read them (a number as an id, a
     * numeric string as a seq_no); other metadata ({@code routing}, {@code pipeline}, ...) is skipped.
     */
    private static ActionLine readActionLine(byte[] body, int from, int to, int line) {
        try (JsonParser parser = Json.MAPPER.createParser(body, from, to - from)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || parser.nextToken() != JsonToken.FIELD_NAME) {
                throw malformed(line);
            }
            String action = parser.currentName();
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(line);
            }
            String index = null;
            String id = null;
            Long ifSeqNo = null;
            Long ifTerm = null;
            int retries = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "_index" -> index = text(parser, value);
                    case "_id" -> id = text(parser, value);
                    case "if_seq_no" -> ifSeqNo = number(parser, value);
                    case "if_primary_term" -> ifTerm = number(parser, value);
                    case "retry_on_conflict" -> {
                        Long n = number(parser, value);
                        retries = n == null ? 0 : n.intValue();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != JsonToken.END_OBJECT) {
                throw malformed(line);
            }
            return new ActionLine(action, index, id, ifSeqNo, ifTerm, retries);
        } catch (IOException e) {
            throw InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line + "]: " + e.getMessage());
        }
    }

    /** A string as it is; anything else as a tree's {@code asText} reads it; JSON null is absent. */
    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        JsonNode node = parser.readValueAsTree();
        return node == null || node.isNull() ? null : node.asText();
    }

    /** A number as a tree's {@code asLong} reads it (a numeric string too); JSON null is absent. */
    private static Long number(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return parser.getLongValue();
        }
        JsonNode node = parser.readValueAsTree();
        return node == null || node.isNull() ? null : node.asLong();
    }

    private static InvalidRequestException malformed(int line) {
        return InvalidRequestException.illegalArgument("Malformed action/metadata line [" + line
                + "], expected an object with exactly one action, e.g. {\"index\":{\"_id\":\"1\"}}");
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
