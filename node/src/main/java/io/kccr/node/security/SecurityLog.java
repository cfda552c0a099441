package io.kccr.node.security;

import io.kccr.core.error.UnavailableException;
import io.kccr.core.kafka.LogReaderConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users, roles and API keys of a cluster, kept in its compacted topic {@code <prefix>.security} (one partition;
 * key {@code user:<name>}, {@code role:<name>} or {@code api_key:<id>}, value the record as JSON, a tombstone for a
 * delete). Every node of the cluster reads the topic from its start and follows it, so all see the same users; a
 * node rebuilds them from the log at start-up like everything else. Secrets are stored only as bcrypt hashes.
 *
 * <p>A write returns once this node's reader has applied it (read your writes). Thread-safe; one reader thread.
 */
public final class SecurityLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SecurityLog.class);
    private static final String USER = "user:";
    private static final String ROLE = "role:";
    private static final String API_KEY = "api_key:";

    private final String topic;
    private final Map<String, Object> clientProperties;
    private final Duration timeout;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, RoleDescriptor> roles = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> apiKeys = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private long nextOffset; // guarded by progress
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;
    private volatile boolean closed;

    /** {@code clientProperties}: the node's Kafka client properties, {@code bootstrap.servers} included. */
    public SecurityLog(String topic, Map<String, Object> clientProperties, Duration timeout) {
        this.topic = topic;
        this.clientProperties = Map.copyOf(clientProperties);
        this.timeout = timeout;
    }

    /** Creates the topic unless it exists, reads it to its end, then follows it on a thread of its own. */
    public void start() throws Exception {
        try (Admin admin = Admin.create(clientProperties)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) -1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(config);
        consumer = new KafkaConsumer<>(LogReaderConfig.of(clientProperties, 500));
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (consumer.position(partition) < end) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read [" + topic + "] to its end within " + timeout.toMillis()
                        + "ms; is Kafka reachable?");
            }
            poll(partition);
        }
        reader = new Thread(() -> follow(partition), "kccr-security-log");
        reader.setDaemon(true);
        reader.start();
    }

    private void follow(TopicPartition partition) {
        while (!closed) {
            try {
                poll(partition);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                log.warn("reading [{}] failed; retrying: {}", topic, e.toString());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void poll(TopicPartition partition) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            apply(r);
        }
        long position = consumer.position(partition);
        synchronized (progress) {
            nextOffset = position;
            progress.notifyAll();
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (key.startsWith(USER)) {
                put(users, key.substring(USER.length()), r.value(), User.class);
            } else if (key.startsWith(ROLE)) {
                put(roles, key.substring(ROLE.length()), r.value(), RoleDescriptor.class);
            } else if (key.startsWith(API_KEY)) {
                put(apiKeys, key.substring(API_KEY.length()), r.value(), ApiKey.class);
            }
        } catch (IOException e) {
            log.warn("skipping record [{}] at offset {} of [{}]: not a security record ({})", key, r.offset(), topic,
                    e.getMessage());
        }
    }

    private static <T> void put(Map<String, T> map, String id, byte[] value, Class<T> type) throws IOException {
        if (value == null) {
            map.remove(id);
        } else {
            map.put(id, SecurityJson.MAPPER.readValue(value, type));
        }
    }

    // ------------------------------------------------------------------------------------------ reads

    public Optional<User> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public Collection<User> users() {
        return List.copyOf(users.values());
    }

    public Optional<RoleDescriptor> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    public Map<String, RoleDescriptor> roles() {
        return Map.copyOf(roles);
    }

    public Optional<ApiKey> apiKey(String id) {
        return Optional.ofNullable(apiKeys.get(id));
    }

    public Collection<ApiKey> apiKeys() {
        return List.copyOf(apiKeys.values());
    }

    // ------------------------------------------------------------------------------------------ writes

    public void putUser(User user) {
        write(USER + user.username(), user);
    }

    public void deleteUser(String name) {
        write(USER + name, null);
    }

    public void putRole(String name, RoleDescriptor role) {
        write(ROLE + name, role);
    }

    public void deleteRole(String name) {
        write(ROLE + name, null);
    }

    public void putApiKey(ApiKey key) {
        write(API_KEY + key.id(), key);
    }

    /**
     * Publishes the record and waits until this node's reader applied it.
     *
     * @throws io.kccr.core.error.KccrException 503 when Kafka does not take it in time
     */
    private void write(String key, Object value) {
        try {
            byte[] bytes = value == null ? null : SecurityJson.MAPPER.writeValueAsBytes(value);
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    bytes)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (progress) {
                while (nextOffset <= written.offset()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("the record was written but not read back");
                    }
                    progress.wait(Math.max(1, left / 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while writing to [" + topic + "]", e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new UnavailableException("could not write to the security topic [" + topic + "] within "
                    + timeout.toMillis() + "ms: " + (e.getCause() != null ? e.getCause() : e)
                    + "; check that Kafka is reachable and retry", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (consumer != null) {
            consumer.close(Duration.ofSeconds(2));
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
