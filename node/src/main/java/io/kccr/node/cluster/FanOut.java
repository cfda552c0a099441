package io.kccr.node.cluster;

import io.kccr.core.cluster.NodeInfo;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/** Asks several nodes (or parts held by nodes) at once, each on a virtual thread of its own, and waits for them all. */
final class FanOut {
    private FanOut() {
    }

    /** One call, for one key (a node, a part of a point in time). */
    @FunctionalInterface
    interface Call<K, T> {
        T ask(K key) throws Exception;
    }

    /**
     * Each of {@code keys}' answer to {@code call}, in the order given; a key whose call threw is left out and handed
     * to {@code failed} with the cause.
     */
    static <K, T> Map<K, T> ask(Collection<K> keys, Call<K, T> call, BiConsumer<K, Throwable> failed)
            throws InterruptedException {
        Map<K, Future<T>> asked = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (K k : keys) {
                asked.put(k, pool.submit(() -> call.ask(k)));
            }
        }
        Map<K, T> answers = new LinkedHashMap<>();
        for (Map.Entry<K, Future<T>> e : asked.entrySet()) {
            try {
                answers.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException x) {
                failed.accept(e.getKey(), x.getCause());
            }
        }
        return answers;
    }

    /** The nodes of the cluster's table other than this one. */
    static List<NodeInfo> others(ClusterService cluster) {
        return cluster.table().nodes().stream().filter(n -> !n.id().equals(cluster.nodeId())).toList();
    }
}
