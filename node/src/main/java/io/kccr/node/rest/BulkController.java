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
        List<BulkWrites.Outcome> outcomes = authorizedOutcomes(ctx, items, refresh != RequestParams.Refresh.NONE);
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

    /**
     * Carries out the items the caller may write, as Elasticsearch authorizes each bulk item on its own index; the
     * others fail with their 403, in their place.
     */
    private List<BulkWrites.Outcome> authorizedOutcomes(Context ctx, List<BulkRequestParser.Item> items,
                                                        boolean refresh) {
        java.util.Map<Integer, RuntimeException> denied = new java.util.HashMap<>();
        List<BulkRequestParser.Item> allowed = new java.util.ArrayList<>();
        // a bulk names few indices and actions: each pair is checked once (absent: allowed)
        java.util.Map<String, java.util.Optional<RuntimeException>> checked = new java.util.HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            BulkRequestParser.Item item = items.get(i);
            RuntimeException refusal = item.index() == null ? null : checked.computeIfAbsent(
                    item.action() + '\0' + item.index(), key -> {
                        try {
                            RequestGuard.authorizeIndex(ctx, action(item.action()), item.index());
                            return java.util.Optional.empty();
                        } catch (RuntimeException e) {
                            return java.util.Optional.of(e);
                        }
                    }).orElse(null);
            if (refusal == null) {
                allowed.add(item);
            } else {
                denied.put(i, refusal);
            }
        }
        if (denied.isEmpty()) {
            return writes.execute(items, refresh);
        }
        java.util.Iterator<BulkWrites.Outcome> done = writes.execute(allowed, refresh).iterator();
        List<BulkWrites.Outcome> out = new java.util.ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(denied.containsKey(i) ? new BulkWrites.Outcome(null, denied.get(i)) : done.next());
        }
        return out;
    }

    /** Elasticsearch's action name of a bulk item, as its index privileges are defined. */
    static String action(String bulkAction) {
        return switch (bulkAction) {
            case "create" -> "indices:data/write/index:op_type/create";
            case "update" -> "indices:data/write/update";
            case "delete" -> "indices:data/write/delete";
            default -> "indices:data/write/index:op_type/index";
        };
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
