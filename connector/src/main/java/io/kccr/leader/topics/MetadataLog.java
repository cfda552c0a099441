package io.kccr.leader.topics;

import io.kccr.core.kafka.TopicNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.CompactedTopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A cluster's index metadata in Kafka: the compacted {@code <prefix>.indices} topic lists the
 * leader indices (key = name, value = {@code {"name","uuid"}}, tombstone when deleted) and each
 * index's compacted {@code .meta} topic holds its latest {@link IndexMetadata}. The log comes
 * first: a node learns its indices from here at start-up, and a follower learns a leader's
 * settings and mappings from here.
 *
 * <p>Thread-safe. Owns one Admin client and one idempotent producer.
 */
public final class MetadataLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String META_KEY = "metadata";
    private static final String TERM_KEY = "primary_term";

    private final TopicNames names;
    private final Duration timeout;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final CompactedTopicReader reader;
    private volatile TopicDurability durability;

    /** The Kafka cluster a node writes to: its id (which a new cluster does not share) and its broker count. */
    public record KafkaClusterInfo(String clusterId, int brokers) {
    }

    /**
     * What a topic's settings say about the writes it keeps.
     *
     * @param replicationFactor the fewest replicas of any of its partitions
     * @param maxMessageBytes   {@code max.message.bytes}: the largest record batch the topic takes
     */
    public record TopicSettings(String topic, int replicationFactor, int minInsyncReplicas, boolean uncleanElection,
                                int maxMessageBytes) {
        /** Why the topic can lose acknowledged writes; null when it cannot. */
        public String unsafeReason() {
            return TopicDurability.unsafeReason(replicationFactor, minInsyncReplicas, uncleanElection);
        }
    }

    public MetadataLog(TopicNames names, Map<String, Object> clientProperties, Duration timeout) {
        this.names = names;
        this.timeout = timeout;
        this.admin = Admin.create(clientProperties);
        this.reader = new CompactedTopicReader(clientProperties, timeout);
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 30_000));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(config);
    }

    public TopicNames names() {
        return names;
    }

    /** The id and broker count of the Kafka cluster this log is on. */
    public KafkaClusterInfo kafkaCluster() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        return new KafkaClusterInfo(cluster.clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                cluster.nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size());
    }

    /** Sets the durability of the topics created from now on; call before creating any. */
    public void useDurability(TopicDurability durability) {
        this.durability = durability;
    }

    /** The durability of new topics. */
    public TopicDurability durability() {
        TopicDurability d = durability;
        if (d == null) {
            throw new IllegalStateException("the topic durability is not set");
        }
        return d;
    }

    /** The settings of an existing topic, as the brokers hold them now. */
    public TopicSettings describe(String topic) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return describeOnce(topic);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50); // a topic just created: the brokers' metadata has not caught up yet
            }
        }
    }

    private TopicSettings describeOnce(String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        int rf = description.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .get(resource);
        return new TopicSettings(topic, rf, intConfig(config, TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, 1),
                Boolean.parseBoolean(value(config, TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG, "false")),
                intConfig(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, 1048588));
    }

    private static int intConfig(Config config, String key, int fallback) {
        return Integer.parseInt(value(config, key, Integer.toString(fallback)));
    }

    private static String value(Config config, String key, String fallback) {
        ConfigEntry entry = config.get(key);
        return entry == null || entry.value() == null ? fallback : entry.value();
    }

    /** Creates the cluster's {@code <prefix>.indices} topic unless it exists. */
    public void ensureIndicesTopic() throws Exception {
        createTopics(List.of(compacted(names.indices(), 1)));
    }

    /** Creates an index's ops topic (one partition per shard) and meta topic, unless they exist. */
    public void createIndexTopics(IndexMetadata meta, String opsCleanupPolicy) throws Exception {
        createTopics(List.of(topic(names.ops(meta.name()), meta.numberOfShards(), opsCleanupPolicy),
                compacted(names.meta(meta.name()), 1)));
    }

    private NewTopic compacted(String name, int partitions) {
        return topic(name, partitions, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** A new topic with the node's durability: its replication factor, min.insync.replicas, no unclean election. */
    private NewTopic topic(String name, int partitions, String cleanupPolicy) {
        TopicDurability d = durability();
        Map<String, String> configs = new HashMap<>(d.topicConfigs());
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy);
        return new NewTopic(name, partitions, (short) d.replicationFactor()).configs(configs);
    }

    private void createTopics(List<NewTopic> topics) throws Exception {
        for (NewTopic topic : topics) {
            try {
                admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    /** Partition count of an existing topic, or -1 when it does not exist. */
    public int partitionCount(String topic) throws Exception {
        try {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return -1;
            }
            throw e;
        }
    }

    /** Publishes an index's metadata (settings, mappings, versions); returns once it is durable. */
    public void publishMetadata(IndexMetadata meta) throws Exception {
        send(names.meta(meta.name()), META_KEY, metadataValue(meta));
    }

    /**
     * Takes over one shard of an index: publishes the shard's next primary term under key
     * {@code primary_term.<shard>} of the index's meta topic and returns it. A writer whose term is below the
     * shard's latest one has been superseded and must not take the shard back.
     */
    public long bumpPrimaryTerm(String index, int shard) throws Exception {
        long next = readPrimaryTerm(index, shard) + 1;
        send(names.meta(index), TERM_KEY + "." + shard, Long.toString(next).getBytes(StandardCharsets.UTF_8));
        return next;
    }

    /**
     * The latest primary term of one shard of an index, 0 when none was published. Terms published for the whole
     * index (key {@code primary_term}, by versions that took every shard at once) count for every shard.
     */
    public long readPrimaryTerm(String index, int shard) throws Exception {
        Map<String, byte[]> latest = readLatest(names.meta(index));
        return Math.max(term(latest.get(TERM_KEY)), term(latest.get(TERM_KEY + "." + shard)));
    }

    private static long term(byte[] value) {
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.UTF_8));
    }

    /** Lists an index in {@code <prefix>.indices}. */
    public void publishListing(IndexMetadata meta) throws Exception {
        send(names.indices(), meta.name(), listingValue(meta));
    }

    /** The value of an index's entry in {@code <prefix>.indices}: {@code {"name","uuid"}}. */
    static byte[] listingValue(IndexMetadata meta) throws Exception {
        Map<String, String> listing = new LinkedHashMap<>();
        listing.put("name", meta.name());
        listing.put("uuid", meta.uuid());
        return JSON.writeValueAsBytes(listing);
    }

    /** The value of an index's {@code metadata} entry in its {@code .meta} topic. */
    static byte[] metadataValue(IndexMetadata meta) throws Exception {
        return JSON.writeValueAsBytes(meta.toJson());
    }

    /** The key of the metadata entry in an index's {@code .meta} topic. */
    static String metadataKey() {
        return META_KEY;
    }

    /** Removes an index from {@code <prefix>.indices} and deletes its topics. */
    public void deleteIndex(String index) throws Exception {
        send(names.indices(), index, null);
        deleteIndexTopics(index);
    }

    /** Deletes an index's ops and meta topics (none is an error). */
    public void deleteIndexTopics(String index) throws Exception {
        try {
            admin.deleteTopics(List.of(names.ops(index), names.meta(index))).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    private void send(String topic, String key, byte[] value) throws Exception {
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException("Kafka did not acknowledge a write to [" + topic + "] within "
                    + timeout.toMillis() + "ms");
        }
    }

    /** The names of the cluster's leader indices, as {@code <prefix>.indices} lists them now. */
    public List<String> readIndexNames() throws Exception {
        Map<String, byte[]> latest = readLatest(names.indices());
        List<String> out = new ArrayList<>();
        latest.forEach((k, v) -> {
            if (v != null) {
                out.add(k);
            }
        });
        return out;
    }

    /** An index's latest metadata from its {@code .meta} topic, or null when there is none. */
    public IndexMetadata readMetadata(String index) throws Exception {
        byte[] value = readLatest(names.meta(index)).get(META_KEY);
        if (value == null) {
            return null;
        }
        JsonNode node = JSON.readTree(value);
        return IndexMetadata.fromJson(node);
    }

    /** Reads a compacted topic from the start to its current end; the last value per key (null for a tombstone). */
    public Map<String, byte[]> readLatest(String topic) throws Exception {
        return reader.readLatest(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
