package io.kccr.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kccr.core.error.ApiException;
import io.kccr.leader.Acks;
import io.kccr.leader.DocumentUpdater;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteCondition;
import io.kccr.leader.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /_bulk} and {@code /<index>/_bulk}: every item is handed to its shard's writer at
 * once, so one bulk becomes a few large Kafka transactions; bad items fail one by one and the
 * good ones succeed. Updates wait for the items before them, which they may read.
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
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>(items.size());
        List<LeaderIndex> targets = new ArrayList<>(items.size());
        for (BulkRequestParser.Item item : items) {
            LeaderIndex index = null;
            CompletableFuture<WriteResult> future;
            try {
                index = item.action().equals("delete") ? guard.writableExistingIndex(item.index())
                        : guard.writableIndex(item.index());
                future = submit(index, item, futures);
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            targets.add(index);
            futures.add(future);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        boolean errors = false;
        Set<LeaderIndex> touched = new LinkedHashSet<>();
        List<WriteResult> done = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BulkRequestParser.Item item = items.get(i);
            ObjectNode result;
            try {
                WriteResult r = Acks.await(futures.get(i), writeTimeout);
                result = DocumentController.resultJson(item.index(), r);
                result.put("status", r.result() == WriteResult.Result.CREATED ? 201
                        : r.result() == WriteResult.Result.NOT_FOUND ? 404 : 200);
                touched.add(targets.get(i));
                done.add(r);
            } catch (RuntimeException e) {
                ApiException error = RestErrors.toApiException(e);
                errors = true;
                result = Json.object();
                result.put("_index", item.index());
                result.put("_id", item.id());
                result.put("status", error.status());
                result.set("error", RestErrors.cause(error));
            }
            out.addObject().set(item.action(), result);
        }
        if (refresh != RequestParams.Refresh.NONE) {
            touched.forEach(LeaderIndex::refresh);
        }
        ObjectNode body = Json.object();
        body.put("errors", errors);
        body.put("took", (System.nanoTime() - start) / 1_000_000);
        body.set("items", out);
        Responses.json(ctx, 200, body);
    }

    private CompletableFuture<WriteResult> submit(LeaderIndex index, BulkRequestParser.Item item,
                                                  List<CompletableFuture<WriteResult>> before) {
        return switch (item.action()) {
            case "index", "create" -> index.index(item.id(), item.source(),
                    RequestParams.condition(item.action().equals("create"), item.ifSeqNo(), item.ifPrimaryTerm()));
            case "delete" -> index.delete(item.id(),
                    RequestParams.condition(false, item.ifSeqNo(), item.ifPrimaryTerm()));
            case "update" -> {
                before.forEach(f -> f.exceptionally(t -> null).join());
                yield CompletableFuture.completedFuture(new DocumentUpdater(index, writeTimeout)
                        .update(item.id(), Json.parseObject(item.source()),
                                item.retryOnConflict() == null ? 0 : item.retryOnConflict(), item.ifSeqNo(),
                                item.ifPrimaryTerm()).result());
            }
            default -> throw new IllegalStateException(item.action());
        };
    }
}
