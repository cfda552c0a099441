package io.kccr.node.cluster;

import io.kccr.core.cluster.NodeInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/** Asks several nodes at once, each on a virtual thread of its own, and waits for them all. */
final class FanOut {
    private FanOut() {
    }

    /** One node's call. */
    @FunctionalInterface
    interface Call<T> {
        T ask(NodeInfo node) throws Exception;
    }

    /**
     * Each of {@code nodes}' answer to {@code call}, in the order given; a node whose call threw is left out and handed
     * to {@code failed} with the cause.
     */
    static <T> Map<NodeInfo, T> ask(List<NodeInfo> nodes, Call<T> call, BiConsumer<NodeInfo, Throwable> failed)
            throws InterruptedException {
        Map<NodeInfo, Future<T>> asked = new LinkedHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (NodeInfo n : nodes) {
                asked.put(n, pool.submit(() -> call.ask(n)));
            }
        }
        Map<NodeInfo, T> answers = new LinkedHashMap<>();
        for (Map.Entry<NodeInfo, Future<T>> e : asked.entrySet()) {
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
