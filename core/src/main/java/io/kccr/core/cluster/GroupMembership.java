package io.kccr.core.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership of its cluster: a member of a Kafka consumer group (classic protocol) whose assignor is
 * {@link MembershipAssignor}. Joining, leaving and failure detection are Kafka's: a node that stops heartbeating for
 * the session timeout is removed, and the group rebalances; no seed list, no election of ours.
 *
 * <p>One thread polls the consumer (which drives the rebalances and delivers the tables); tables are handed to the
 * listeners on that thread, so listeners must only take note and return. Other threads may call every method.
 */
public final class GroupMembership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * How the membership is set up.
     *
     * @param groupId        the consumer group: one per cluster (topic prefix)
     * @param topic          a topic the group subscribes to, which must exist (no partition of it is assigned)
     * @param clusterName    this node's cluster name
     * @param sessionTimeout how long a silent member stays in the group (the broker allows 6 s to 30 min by default)
     */
    public record Config(String groupId, String topic, String clusterName, Duration sessionTimeout,
                         ShardAllocator.Settings allocation) {
        public Config {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(clusterName, "clusterName");
        }
    }

    private final Config config;
    private final Supplier<MemberReport> reports;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Consumer<RoutingTable>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicReference<RoutingTable> latest = new AtomicReference<>(RoutingTable.EMPTY);
    private final CompletableFuture<RoutingTable> first = new CompletableFuture<>();
    private final Thread thread;
    private volatile String rebalanceReason;
    private volatile CloseOptions.GroupMembershipOperation closing;
    private volatile String refusal;

    /**
     * @param clientProperties the Kafka client properties (bootstrap servers, security)
     * @param reports          this node's report, asked for at every join; called on the membership thread
     */
    public GroupMembership(Map<String, Object> clientProperties, Config config, Supplier<MemberReport> reports) {
        this.config = config;
        this.reports = reports;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, MembershipAssignor.class.getName());
        props.put(MembershipAssignor.CONTEXT_CONFIG, new Context());
        int session = (int) config.sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        // a dozen heartbeats per session: a member learns of a rebalance at its next heartbeat, so the interval
        // adds to every takeover (measured: a graceful leave is seen in about one interval)
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, session / 12));
        // the rebalance timeout: how long the coordinator waits for the members to rejoin. This thread polls every
        // 100 ms and never blocks in between, so a member that has not rejoined in 30 s is gone
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kccr-membership-" + config.groupId());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(props);
        this.thread = new Thread(this::run, "kccr-membership");
        this.thread.setDaemon(true);
    }

    /** Adds a listener of the tables this member receives (called on the membership thread; it must not block). */
    public void addListener(Consumer<RoutingTable> listener) {
        listeners.add(listener);
    }

    /**
     * Joins the group; returns the first table once the group assigned one.
     *
     * @throws IllegalStateException when the group refuses this node (e.g. another cluster name) or Kafka refuses
     *                               the session timeout
     * @throws TimeoutException      when no assignment came within {@code timeout}
     */
    public RoutingTable start(Duration timeout) throws TimeoutException, InterruptedException {
        consumer.subscribe(List.of(config.topic()));
        thread.start();
        try {
            return first.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The latest table this member received ({@link RoutingTable#EMPTY} before the first). */
    public RoutingTable table() {
        return latest.get();
    }

    /**
     * Asks the group for a rebalance, so that it sees this node's new report (a copy that started, a node that is
     * leaving, an index created). Returns at once.
     */
    public void requestRebalance(String reason) {
        rebalanceReason = reason;
        consumer.wakeup();
    }

    /**
     * Waits until a table this member receives satisfies {@code condition}, requesting a rebalance every
     * {@code retry} meanwhile (a report the leader has not seen yet is sent again).
     */
    public RoutingTable await(Predicate<RoutingTable> condition, Duration timeout, Duration retry, String reason)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextRequest = 0;
        while (true) {
            RoutingTable t = latest.get();
            if (condition.test(t)) {
                return t;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                throw new TimeoutException("the cluster's assignment did not reach the expected state within "
                        + timeout.toSeconds() + "s (" + reason + ")");
            }
            if (now >= nextRequest) {
                requestRebalance(reason);
                nextRequest = now + retry.toNanos();
            }
            synchronized (latest) {
                latest.wait(50);
            }
        }
    }

    private void run() {
        try {
            while (closing == null) {
                String reason = rebalanceReason;
                if (reason != null) {
                    rebalanceReason = null;
                    consumer.enforceRebalance(reason);
                }
                try {
                    consumer.poll(POLL);
                    consumer.pause(consumer.assignment()); // the group's topic is subscribed to, never read
                } catch (WakeupException e) {
                    // a rebalance request or close: handled at the top of the loop
                }
            }
        } catch (InvalidSessionTimeoutException e) {
            fail(new IllegalStateException("Kafka refuses a session timeout of " + config.sessionTimeout().toMillis()
                    + "ms for the cluster's group: set cluster.fault_detection.session_timeout between the broker's "
                    + "group.min.session.timeout.ms and group.max.session.timeout.ms", e));
        } catch (InterruptException e) {
            log.debug("membership thread interrupted");
        } catch (RuntimeException e) {
            log.error("the cluster membership failed; this node no longer takes part in the cluster", e);
            fail(e);
        } finally {
            CloseOptions.GroupMembershipOperation how = closing == null ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                    : closing;
            try {
                consumer.close(CloseOptions.groupMembershipOperation(how).withTimeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                log.debug("closing the membership consumer", e);
            }
        }
    }

    private void fail(RuntimeException e) {
        first.completeExceptionally(e);
    }

    /** Why the group refused this node, or null. */
    public String refusal() {
        return refusal;
    }

    /** Leaves the group at once (the others rebalance now rather than after the session timeout). */
    @Override
    public void close() {
        stop(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    }

    /**
     * Stops without leaving the group, as a crashed process would: the others notice after the session timeout.
     * For benchmarks and tests of failure detection.
     */
    public void crash() {
        stop(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    private void stop(CloseOptions.GroupMembershipOperation how) {
        if (closing != null) {
            return;
        }
        closing = how;
        consumer.wakeup();
        if (thread.isAlive()) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.groupMembershipOperation(how).withTimeout(Duration.ZERO));
        }
    }

    /** What {@link MembershipAssignor} sees of this membership. */
    private final class Context implements MembershipAssignor.Context {
        @Override
        public MemberReport report() {
            return reports.get();
        }

        @Override
        public RoutingTable latest() {
            return latest.get();
        }

        @Override
        public String clusterName() {
            return config.clusterName();
        }

        @Override
        public ShardAllocator.Settings settings() {
            return config.allocation();
        }

        @Override
        public void assigned(ClusterWire.Assignment assignment, int generation) {
            if (assignment.refusal() != null) {
                refusal = assignment.refusal();
                log.error("the cluster refused this node: {}", assignment.refusal());
                fail(new IllegalStateException("the cluster refused this node: " + assignment.refusal()));
                closing = CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
                return;
            }
            RoutingTable table = assignment.table().withVersion(generation);
            latest.set(table);
            synchronized (latest) {
                latest.notifyAll();
            }
            for (Consumer<RoutingTable> l : listeners) {
                try {
                    l.accept(table);
                } catch (RuntimeException e) {
                    log.warn("a listener of the routing table failed", e);
                }
            }
            first.complete(table);
        }
    }
}
