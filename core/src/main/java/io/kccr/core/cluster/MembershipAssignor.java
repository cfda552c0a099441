package io.kccr.core.cluster;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group's assignor, through which Kafka's classic group protocol carries the cluster's membership: each member
 * sends its {@link MemberReport} as its subscription's user data, the leader runs {@link ShardAllocator} over them
 * and gives every member the whole {@link RoutingTable} as its assignment's user data. The group is used for its
 * membership (join, failure detection by session timeout, leave) and its leader alone: no partition is read.
 *
 * <p>Kafka instantiates the assignor from its class name; it reaches its {@link GroupMembership} through the
 * consumer configuration key {@link #CONTEXT_CONFIG}, as Kafka Streams passes its own assignor its task manager.
 */
public final class MembershipAssignor implements ConsumerPartitionAssignor, Configurable {
    /** Consumer configuration key whose value is the {@link Context} of the membership. */
    public static final String CONTEXT_CONFIG = "kccr.membership.context";
    public static final String NAME = "kccr-shards";

    private static final Logger log = LoggerFactory.getLogger(MembershipAssignor.class);

    /** What the assignor needs of the membership it runs for. */
    interface Context {
        /** This member's report, as of now. */
        MemberReport report();

        /** The last table this member received, the previous assignment of the next allocation. */
        RoutingTable latest();

        /** This member's cluster name: members of another name are refused. */
        String clusterName();

        ShardAllocator.Settings settings();

        /** Called with each assignment this member receives, on the consumer's thread. */
        void assigned(ClusterWire.Assignment assignment, int generation);
    }

    private Context context;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(CONTEXT_CONFIG);
        if (!(value instanceof Context c)) {
            throw new IllegalArgumentException(CONTEXT_CONFIG + " must be the membership's context, got " + value);
        }
        this.context = c;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return ClusterWire.encode(context.report());
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        Map<String, Subscription> subscriptions = groupSubscription.groupSubscription();
        Map<String, MemberReport> reports = new HashMap<>();
        Map<String, String> refused = new HashMap<>();
        for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
            try {
                MemberReport r = ClusterWire.decodeReport(e.getValue().userData());
                if (!r.clusterName().equals(context.clusterName())) {
                    refused.put(e.getKey(), "node [" + r.node().name() + "] has cluster.name [" + r.clusterName()
                            + "] but the nodes on this Kafka and topic prefix form cluster [" + context.clusterName()
                            + "]: give it the same cluster.name, or another ccr.topic.prefix");
                } else {
                    reports.put(e.getKey(), r);
                }
            } catch (RuntimeException ex) {
                refused.put(e.getKey(), "its cluster message could not be read: " + ex.getMessage());
            }
        }
        RoutingTable previous = context.latest();
        RoutingTable table = ShardAllocator.allocate(new ArrayList<>(reports.values()), previous,
                previous.version() + 1, context.settings()).withLeader(context.report().nodeId());
        log.debug("allocated version {} for {} members", table.version(), reports.size());
        Map<String, List<TopicPartition>> partitions = holders(metadata, subscriptions);
        Map<String, Assignment> out = new HashMap<>();
        for (String member : subscriptions.keySet()) {
            ClusterWire.Assignment a = refused.containsKey(member) ? new ClusterWire.Assignment(null, refused.get(member))
                    : new ClusterWire.Assignment(table, null);
            out.put(member, new Assignment(partitions.getOrDefault(member, List.of()), ClusterWire.encode(a)));
        }
        return new GroupAssignment(out);
    }

    /**
     * The subscribed topic's partitions, each to the member that owns it already (the cooperative protocol moves a
     * partition only once its owner gave it up) or else to the first member. The members never read them (they are
     * paused): they are handed out only because Kafka warns at every rebalance about a topic nobody is assigned.
     */
    private static Map<String, List<TopicPartition>> holders(Cluster metadata, Map<String, Subscription> subscriptions) {
        Map<String, List<TopicPartition>> out = new HashMap<>();
        if (subscriptions.isEmpty()) {
            return out;
        }
        String first = new TreeSet<>(subscriptions.keySet()).first();
        Set<String> topics = new TreeSet<>();
        subscriptions.values().forEach(s -> topics.addAll(s.topics()));
        for (String topic : topics) {
            for (PartitionInfo info : metadata.partitionsForTopic(topic)) {
                TopicPartition tp = new TopicPartition(topic, info.partition());
                String owner = first;
                for (Map.Entry<String, Subscription> e : subscriptions.entrySet()) {
                    if (e.getValue().ownedPartitions().contains(tp)) {
                        owner = e.getKey();
                    }
                }
                out.computeIfAbsent(owner, k -> new ArrayList<>()).add(tp);
            }
        }
        return out;
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        context.assigned(ClusterWire.decodeAssignment(assignment.userData()), metadata.generationId());
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        return List.of(RebalanceProtocol.COOPERATIVE);
    }

    @Override
    public String name() {
        return NAME;
    }
}
