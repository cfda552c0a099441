package io.kccr.node.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.kccr.leader.Acks;
import io.kccr.leader.DocumentUpdater;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteRequest;
import io.kccr.leader.WriteResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /_bulk} and {@code /<index>/_bulk}: the items are parsed and mapped first, then
 * handed to their shards' writers together, so one bulk becomes one Kafka transaction per shard;
 * bad items fail one by one and the good ones succeed. An update waits for the items before it,
 * which it may read.
 */
final class BulkController {
    private final WriteGuard guard;
    private final Duration writeTimeout;

    BulkController(WriteGuard guard, Duration writeTimeout) {
        this.guard = guard;
        this.writeTimeout = writeTimeout;
    }

    void bulk(Context ctx) {
        long start = System.nanoTime();
        RequestParams.Refresh refresh = RequestParams.Refresh.of(ctx);
        List<BulkRequestParser.Item> items = BulkRequestParser.parse(ctx.bodyAsBytes(), ctx.pathParamMap().get("index"));
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>(Collections.nCopies(items.size(), null));
        List<LeaderIndex> targets = new ArrayList<>(Collections.nCopies(items.size(), null));
        Pending pending = new Pending();
        for (int i = 0; i < items.size(); i++) {
            BulkRequestParser.Item item = items.get(i);
            try {
                LeaderIndex index = item.action().equals("delete") ? guard.writableExistingIndex(item.index())
                        : guard.writableIndex(item.index());
                targets.set(i, index);
                if (item.action().equals("update")) {
                    pending.submit(futures);
                    futures.subList(0, i).forEach(f -> f.exceptionally(t -> null).join());
                    futures.set(i, CompletableFuture.completedFuture(new DocumentUpdater(index, writeTimeout)
                            .update(item.id(), Json.parseObject(item.source()),
                                    item.retryOnConflict() == null ? 0 : item.retryOnConflict(), item.ifSeqNo(),
                                    item.ifPrimaryTerm()).result()));
                } else {
                    pending.add(index, i, request(index, item));
                }
            } catch (RuntimeException e) {
                futures.set(i, CompletableFuture.failedFuture(e));
            }
        }
        pending.submit(futures);
        List<Object> outcomes = new ArrayList<>(items.size()); // a WriteResult or an error reply per item
        boolean errors = false;
        Set<LeaderIndex> touched = new LinkedHashSet<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                outcomes.add(Acks.await(futures.get(i), writeTimeout));
                touched.add(targets.get(i));
            } catch (RuntimeException e) {
                outcomes.add(RestErrors.reply(e));
                errors = true;
            }
        }
        if (refresh != RequestParams.Refresh.NONE) {
            touched.forEach(LeaderIndex::refresh);
        }
        boolean anyError = errors;
        long took = (System.nanoTime() - start) / 1_000_000;
        Responses.json(ctx, 200, json -> {
            json.writeStartObject();
            json.writeBooleanField("errors", anyError);
            json.writeNumberField("took", took);
            json.writeArrayFieldStart("items");
            for (int i = 0; i < items.size(); i++) {
                writeItem(json, items.get(i), outcomes.get(i));
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    private static WriteRequest request(LeaderIndex index, BulkRequestParser.Item item) {
        return switch (item.action()) {
            case "index", "create" -> index.indexRequest(item.id(), item.source(),
                    RequestParams.condition(item.action().equals("create"), item.ifSeqNo(), item.ifPrimaryTerm()));
            case "delete" -> index.deleteRequest(item.id(),
                    RequestParams.condition(false, item.ifSeqNo(), item.ifPrimaryTerm()));
            default -> throw new IllegalStateException(item.action());
        };
    }

    /** One item of the response, as Elasticsearch writes it: its result, or its error. */
    private static void writeItem(JsonGenerator json, BulkRequestParser.Item item, Object outcome) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart(item.action());
        json.writeStringField("_index", item.index());
        if (outcome instanceof WriteResult r) {
            json.writeStringField("_id", r.id());
            json.writeNumberField("_version", r.version());
            json.writeStringField("result", r.result().jsonName());
            json.writeObjectFieldStart("_shards");
            json.writeNumberField("total", 1);
            json.writeNumberField("successful", r.result() == WriteResult.Result.NOOP ? 0 : 1);
            json.writeNumberField("failed", 0);
            json.writeEndObject();
            json.writeNumberField("_seq_no", r.seqNo());
            json.writeNumberField("_primary_term", r.primaryTerm());
            json.writeNumberField("status", r.result() == WriteResult.Result.CREATED ? 201
                    : r.result() == WriteResult.Result.NOT_FOUND ? 404 : 200);
        } else {
            RestErrors.Reply error = (RestErrors.Reply) outcome;
            json.writeStringField("_id", item.id());
            json.writeNumberField("status", error.status());
            json.writeFieldName("error");
            Json.MAPPER.writeValue(json, RestErrors.cause(error));
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Writes waiting to be submitted, per index, with their places in the bulk. */
    private static final class Pending {
        private final Map<LeaderIndex, List<WriteRequest>> requests = new LinkedHashMap<>();
        private final Map<LeaderIndex, List<Integer>> positions = new LinkedHashMap<>();

        void add(LeaderIndex index, int position, WriteRequest request) {
            requests.computeIfAbsent(index, i -> new ArrayList<>()).add(request);
            positions.computeIfAbsent(index, i -> new ArrayList<>()).add(position);
        }

        /** Submits every pending write, each index's together, and puts their futures in place. */
        void submit(List<CompletableFuture<WriteResult>> futures) {
            requests.forEach((index, list) -> {
                List<Integer> places = positions.get(index);
                List<CompletableFuture<WriteResult>> submitted = index.submit(list);
                for (int j = 0; j < submitted.size(); j++) {
                    futures.set(places.get(j), submitted.get(j));
                }
            });
            requests.clear();
            positions.clear();
        }
    }
}
