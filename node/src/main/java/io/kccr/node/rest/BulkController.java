package io.kccr.node.rest;

import io.javalin.http.Context;
import io.kccr.node.indices.BulkWrites;
import java.util.List;

/**
 * {@code POST /_bulk} and {@code /<index>/_bulk}: parses the NDJSON body, has {@link BulkWrites} carry out
 * the items, and answers each item's result or error, in order. Client IO only.
 */
final class BulkController {
    /** About the length of one item's answer: the response buffer is sized for the whole answer at once. */
    private static final int ITEM_BYTES = 160;
    private static final int MAX_PRESIZE = 16 << 20;

    private final BulkWrites writes;

    BulkController(BulkWrites writes) {
        this.writes = writes;
    }

    void bulk(Context ctx) {
        long start = System.nanoTime();
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        List<BulkRequestParser.Item> items = BulkRequestParser.parse(ctx.bodyAsBytes(), ctx.pathParamMap().get("index"));
        List<BulkWrites.Outcome> outcomes = writes.execute(items, refresh != RequestParams.Refresh.NONE);
        boolean errors = outcomes.stream().anyMatch(o -> o.failure() != null);
        long took = (System.nanoTime() - start) / 1_000_000;
        // the envelope is streamed and each item is written as it is rendered: a large bulk never holds its
        // whole answer as objects
        Responses.json(ctx, 200, (int) Math.min(MAX_PRESIZE, (long) items.size() * ITEM_BYTES), json -> {
            json.writeStartObject();
            json.writeBooleanField("errors", errors);
            json.writeNumberField("took", took);
            json.writeArrayFieldStart("items");
            for (int i = 0; i < items.size(); i++) {
                BulkRequestParser.Item item = items.get(i);
                json.writeStartObject();
                json.writeFieldName(item.action());
                DocumentResponses.BulkItemResponse answer = item(item, outcomes.get(i));
                if (answer instanceof DocumentResponses.BulkDone done) {
                    done.writeTo(json);
                } else {
                    Json.MAPPER.writeValue(json, answer);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** One item's answer, as Elasticsearch writes it: its result, or its error. */
    private static DocumentResponses.BulkItemResponse item(BulkRequestParser.Item item, BulkWrites.Outcome outcome) {
        if (outcome.failure() == null) {
            return DocumentResponses.BulkDone.of(item.index(), outcome.result());
        }
        RestErrors.Reply error = RestErrors.reply(outcome.failure());
        return new DocumentResponses.BulkFailed(item.index(), item.id(), error.status(), RestErrors.cause(error));
    }
}
