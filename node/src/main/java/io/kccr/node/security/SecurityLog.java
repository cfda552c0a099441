package io.kccr.node.security;

import io.kccr.core.kafka.KeyedLog;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
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

    private final KeyedLog records;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, RoleDescriptor> roles = new ConcurrentHashMap<>();
    private final Map<String, ApiKey> apiKeys = new ConcurrentHashMap<>();

    /** {@code clientProperties}: the node's Kafka client properties, {@code bootstrap.servers} included. */
    public SecurityLog(String topic, Map<String, Object> clientProperties, Duration timeout) {
        this.records = new KeyedLog(topic, clientProperties, timeout, this::apply);
    }

    /** Creates the topic unless it exists, reads it to its end, then follows it on a thread of its own. */
    public void start() throws Exception {
        records.start("kccr-security-log");
    }

    private void apply(String key, byte[] value) {
        try {
            if (key.startsWith(USER)) {
                put(users, key.substring(USER.length()), value, User.class);
            } else if (key.startsWith(ROLE)) {
                put(roles, key.substring(ROLE.length()), value, RoleDescriptor.class);
            } else if (key.startsWith(API_KEY)) {
                put(apiKeys, key.substring(API_KEY.length()), value, ApiKey.class);
            }
        } catch (IOException e) {
            log.warn("skipping record [{}] of [{}]: not a security record ({})", key, records.topic(), e.getMessage());
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

    /** The least time between two {@link #catchUpAfterMiss} reads of the topic's end. */
    private static final long CATCH_UP_NANOS = java.time.Duration.ofMillis(500).toNanos();
    private final java.util.concurrent.atomic.AtomicLong lastCatchUp = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - CATCH_UP_NANOS);

    /**
     * After credentials did not match what this node read: reads the topic to its end (a user, a password or a key
     * made through another node just before is then known here, as on every node of an Elasticsearch cluster once
     * the change is acknowledged); whether it did. At most once every 500 ms, so that wrong credentials sent over
     * and over cost Kafka nothing more.
     */
    public boolean catchUpAfterMiss() {
        long last = lastCatchUp.get();
        long now = System.nanoTime();
        if (now - last < CATCH_UP_NANOS || !lastCatchUp.compareAndSet(last, now)) {
            return false;
        }
        try {
            records.catchUp();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

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
        byte[] bytes;
        try {
            bytes = value == null ? null : SecurityJson.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e); // records of strings always serialize
        }
        records.record(key, bytes, "security record [" + key + "]");
    }

    @Override
    public void close() {
        records.close();
    }
}
