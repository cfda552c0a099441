package io.kccr.node.indices;

import io.kccr.leader.Acks;
import io.kccr.leader.DocumentUpdater;
import io.kccr.leader.LeaderIndex;
import io.kccr.leader.WriteRequest;
import io.kccr.leader.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Carries out the items of a {@code _bulk} request: they are mapped first, then handed to their shards'
 * writers together, so one bulk becomes one Kafka transaction per shard; bad items fail one by one and
 * the good ones succeed. An update waits for the items before it, which it may read. Thread-safe.
 */
public final class BulkWrites {

    /** What became of one item: its result, or why it failed (exactly one of them is set). */
    public record Outcome(WriteResult result, RuntimeException failure) {
    }

    private final WriteGuard guard;
    private final Duration writeTimeout;

    public BulkWrites(WriteGuard guard, Duration writeTimeout) {
        this.guard = guard;
        this.writeTimeout = writeTimeout;
    }

    /**
     * Writes {@code items} and returns their outcomes, in the items' order, once every write was acknowledged
     * or failed; with {@code refresh} the indices written to are refreshed first.
     */
    public List<Outcome> execute(List<? extends BulkItem> items, boolean refresh) {
        List<CompletableFuture<WriteResult>> futures = new ArrayList<>(Collections.nCopies(items.size(), null));
        List<LeaderIndex> targets = new ArrayList<>(Collections.nCopies(items.size(), null));
        Pending pending = new Pending();
        Targets resolved = new Targets();
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            try {
                LeaderIndex index = resolved.get(item);
                targets.set(i, index);
                if (item.action().equals("update")) {
                    pending.submit(futures);
                    futures.subList(0, i).forEach(f -> f.exceptionally(t -> null).join());
                    futures.set(i, CompletableFuture.completedFuture(update(index, item)));
                } else {
                    pending.add(index, i, request(index, item));
                }
            } catch (RuntimeException e) {
                futures.set(i, CompletableFuture.failedFuture(e));
            }
        }
        pending.submit(futures);
        List<Outcome> outcomes = new ArrayList<>(items.size());
        Set<LeaderIndex> written = new LinkedHashSet<>();
        long deadline = Acks.deadline(writeTimeout); // one deadline for the whole bulk, not one per item
        for (int i = 0; i < items.size(); i++) {
            try {
                outcomes.add(new Outcome(Acks.awaitUntil(futures.get(i), deadline, writeTimeout), null));
                written.add(targets.get(i));
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(null, e));
            }
        }
        if (refresh) {
            written.forEach(LeaderIndex::refresh);
        }
        return outcomes;
    }

    private WriteResult update(LeaderIndex index, BulkItem item) {
        return new DocumentUpdater(index, writeTimeout).update(item.id(), item.updateBody(), item.retryOnConflict(),
                item.ifSeqNo(), item.ifPrimaryTerm()).result();
    }

    private static WriteRequest request(LeaderIndex index, BulkItem item) {
        return switch (item.action()) {
            case "index", "create" -> index.indexRequest(item.id(), item.source(), item.condition());
            case "delete" -> index.deleteRequest(item.id(), item.condition());
            default -> throw new IllegalStateException("not a write action: " + item.action());
        };
    }

    /**
     * The indices a bulk writes to, each checked by the {@link WriteGuard} once rather than for every item (its name
     * check and its follower and closed lookups would cost as much as the item's routing). One bulk's, not shared.
     */
    private final class Targets {
        private final Map<String, LeaderIndex> writable = new HashMap<>();
        private final Map<String, LeaderIndex> existing = new HashMap<>();

        LeaderIndex get(BulkItem item) {
            boolean delete = item.action().equals("delete");
            Map<String, LeaderIndex> known = delete ? existing : writable;
            LeaderIndex index = known.get(item.index());
            if (index == null || index.isClosed()) {
                index = delete ? guard.writableExistingIndex(item.index()) : guard.writableIndex(item.index());
                known.put(item.index(), index);
            }
            return index;
        }
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
