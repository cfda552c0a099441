package io.kccr.core.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KeyedLog} whose values are JSON of one record type {@code T}: each record read is parsed and passed on
 * (one that does not parse is skipped, with a warning naming it), each written is serialized and waited for until
 * this node read it back. What a cluster of nodes shares this way: its follower indices, its auto-follow patterns, its
 * persistent settings.
 *
 * <p>Thread-safe.
 *
 * @param <T> the record type, a record of strings and numbers that always serializes
 */
public final class JsonKeyedLog<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsonKeyedLog.class);

    /** What a node does with each record it reads. */
    public interface Listener<T> {
        /** {@code value} is null for a tombstone. It must not block: the log is read on this thread. */
        void read(String key, T value);
    }

    private final KeyedLog records;
    private final ObjectMapper json;
    private final Class<T> type;
    private final String kind;
    private final Listener<T> listener;

    /**
     * @param json     reads and writes the records
     * @param kind     what a record is, as messages name it ("follower index")
     * @param listener gets each record read, in the order of the topic
     */
    public JsonKeyedLog(String topic, Map<String, Object> clientProperties, Duration timeout, ObjectMapper json,
                        Class<T> type, String kind, Listener<T> listener) {
        this.records = new KeyedLog(topic, clientProperties, timeout, this::read);
        this.json = json;
        this.type = type;
        this.kind = kind;
        this.listener = listener;
    }

    public String topic() {
        return records.topic();
    }

    /** Creates the topic unless it exists, reads it to its end, then follows it on a thread named {@code thread}. */
    public void start(String thread) throws Exception {
        records.start(thread);
    }

    private void read(String key, byte[] value) {
        T parsed = null;
        if (value != null) {
            try {
                parsed = json.readValue(value, type);
            } catch (IOException e) {
                log.warn("skipping {} [{}] of [{}]: not a {} ({})", kind, key, records.topic(), kind, e.getMessage());
                return;
            }
        }
        listener.read(key, parsed);
    }

    /**
     * Records {@code value} (null: a tombstone) under {@code key}; on return, this node read it back.
     *
     * @throws io.kccr.core.error.UnavailableException 503 when Kafka does not take it, or it is not read back, in time
     */
    public void record(String key, T value) {
        byte[] bytes;
        try {
            bytes = value == null ? null : json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // records of strings and numbers always serialize
        }
        records.record(key, bytes, kind + " [" + key + "]");
    }

    /** See {@link KeyedLog#catchUp}: a read after it sees what any node recorded before. */
    public void catchUp() throws InterruptedException {
        records.catchUp();
    }

    @Override
    public void close() {
        records.close();
    }
}
