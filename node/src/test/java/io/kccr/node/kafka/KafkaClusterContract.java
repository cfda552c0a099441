package io.kccr.node.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.testkit.KafkaCluster;
import io.kccr.testkit.KafkaClusterExtension;
import io.kccr.testkit.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * What any {@link KafkaCluster} the integration tests run on must do, written once: subclasses
 * supply the cluster ({@link EmbeddedKafkaIT} in-process, {@link ContainerKafkaIT} in Docker).
 * Every wait polls a real condition until a timeout.
 */
abstract class KafkaClusterContract {

    /** A started broker must answer clients within this; a restart too. */
    static final Duration READY_DEADLINE = Duration.ofSeconds(30);
    /** Upper bound for any single Kafka operation in these tests. */
    static final Duration OP_DEADLINE = Duration.ofSeconds(60);
    static final int PARTITIONS = 3;

    /** The cluster under test; running when each test starts. */
    protected abstract KafkaCluster cluster();

    @Test
    void brokerServesClientsWithinDeadline() throws Exception {
        KafkaCluster cluster = cluster();
        assertThat(cluster.isRunning()).isTrue();
        long t0 = System.nanoTime();
        Collection<Node> nodes = KafkaClusterExtension.awaitReady(cluster.bootstrapServers(), READY_DEADLINE);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(READY_DEADLINE);
        assertThat(nodes).hasSize(1);
    }

    @Test
    void transactionalRecordsAreReadCommittedAndSurviveRestart() throws Exception {
        KafkaCluster cluster = cluster();
        String topic = "kccr-it-" + UUID.randomUUID();
        String group = "kccr-it-group-" + UUID.randomUUID();
        String transactionalId = "kccr-it-tx-" + UUID.randomUUID();

        try (Admin admin = admin(cluster)) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1)))
                    .all().get(OP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            // the broker learns of a created topic through its metadata log: poll until it describes it
            TopicDescription description = org.awaitility.Awaitility.await().atMost(OP_DEADLINE)
                    .ignoreExceptionsInstanceOf(java.util.concurrent.ExecutionException.class)
                    .until(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(OP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS).get(topic), d -> d != null);
            assertThat(description.partitions()).hasSize(PARTITIONS);
        }

        // One committed transaction, one aborted, one committed: read_committed sees 1 and 3 only.
        List<String> committed = new ArrayList<>();
        try (KafkaProducer<String, String> producer = transactionalProducer(cluster, transactionalId)) {
            producer.initTransactions();
            committed.addAll(sendInTransaction(producer, topic, "first", 30, true));
            sendInTransaction(producer, topic, "aborted", 9, false);
            committed.addAll(sendInTransaction(producer, topic, "second", 6, true));
        }

        Map<TopicPartition, List<String>> expected = byPartition(committed);
        Map<TopicPartition, List<String>> read = readCommitted(cluster, topic, group, true);
        assertThat(read).isEqualTo(expected);
        Map<TopicPartition, Long> endOffsets = committedOffsets(cluster, group);
        assertThat(endOffsets).hasSize(PARTITIONS);

        // Stop: the broker is really gone.
        cluster.stop();
        assertThat(cluster.isRunning()).isFalse();
        try (Admin admin = admin(cluster)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(1_000))
                    .nodes().get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        // Restart on the same directory and address: back within the deadline, log intact.
        long t0 = System.nanoTime();
        cluster.restart();
        Duration restartTime = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(cluster.isRunning()).isTrue();
        assertThat(restartTime).isLessThan(READY_DEADLINE);

        assertThat(readCommitted(cluster, topic, null, false)).isEqualTo(expected);
        assertThat(committedOffsets(cluster, group)).isEqualTo(endOffsets);

        // The transaction state survived too: the same transactional id fences and commits again.
        try (KafkaProducer<String, String> producer = transactionalProducer(cluster, transactionalId)) {
            producer.initTransactions();
            committed.addAll(sendInTransaction(producer, topic, "after-restart", 3, true));
        }
        assertThat(readCommitted(cluster, topic, null, false)).isEqualTo(byPartition(committed));
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static Admin admin(KafkaCluster cluster) {
        return Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) OP_DEADLINE.toMillis()));
    }

    private static KafkaProducer<String, String> transactionalProducer(KafkaCluster cluster, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) OP_DEADLINE.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Sends {@code count} records, round-robin over the partitions; returns "partition/value" keys. */
    private static List<String> sendInTransaction(KafkaProducer<String, String> producer, String topic,
                                                  String label, int count, boolean commit) throws Exception {
        producer.beginTransaction();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int partition = i % PARTITIONS;
            String value = label + "-" + i;
            producer.send(new ProducerRecord<>(topic, partition, "k" + i, value))
                    .get(OP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            sent.add(partition + "/" + value);
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
        return sent;
    }

    private static Map<TopicPartition, List<String>> byPartition(List<String> partitionAndValue) {
        Map<TopicPartition, List<String>> result = new HashMap<>();
        for (String pv : partitionAndValue) {
            int slash = pv.indexOf('/');
            // topic name is irrelevant in the comparison; use a fixed placeholder
            TopicPartition tp = new TopicPartition("t", Integer.parseInt(pv.substring(0, slash)));
            result.computeIfAbsent(tp, k -> new ArrayList<>()).add(pv.substring(slash + 1));
        }
        return result;
    }

    /**
     * Reads every partition from the beginning up to its last stable offset with read_committed
     * and returns the values per partition (topic name normalised to "t"). With a group, commits
     * the end positions for it.
     */
    private static Map<TopicPartition, List<String>> readCommitted(KafkaCluster cluster, String topic, String group,
                                                                   boolean commit) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) OP_DEADLINE.toMillis());
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        Set<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                .mapToObj(p -> new TopicPartition(topic, p)).collect(Collectors.toSet());
        Map<TopicPartition, List<String>> result = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed: endOffsets is the last stable offset, past every decided transaction.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (ConsumerRecord<String, String> r : Topics.readTo(consumer, end, OP_DEADLINE)) {
                result.computeIfAbsent(new TopicPartition("t", r.partition()), k -> new ArrayList<>()).add(r.value());
            }
            if (commit) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                partitions.forEach(tp -> offsets.put(tp, new OffsetAndMetadata(consumer.position(tp))));
                consumer.commitSync(offsets);
            }
        }
        return result;
    }

    private static Map<TopicPartition, Long> committedOffsets(KafkaCluster cluster, String group) throws Exception {
        try (Admin admin = admin(cluster)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(OP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }
}
