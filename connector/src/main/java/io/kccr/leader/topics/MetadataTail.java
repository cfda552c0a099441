package io.kccr.leader.topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.index.IndexMetadata;
import io.kccr.core.kafka.TopicNames;
import io.kccr.core.kafka.LogReaderConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's live view of its cluster's indices, read from the log: it follows {@code <prefix>.indices} and the
 * {@code .meta} topic of every index listed there, so that an index another node creates, deletes or gives new
 * mappings is known here within moments (a coordinating node routes with its shard count and parses searches with its
 * mappings; a replica parses ops with them). One thread, one consumer.
 *
 * <p>The listener is called on the tail's thread, in log order: {@link Listener#listed} once an index's metadata is
 * known and again at each change of it, {@link Listener#unlisted} when it is deleted. Thread-safe otherwise.
 */
public final class MetadataTail implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetadataTail.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Told of the indices as the log lists them. */
    public interface Listener {
        /** Index {@code meta.name()} is listed and this is its latest metadata (first seen, or changed). */
        void listed(IndexMetadata meta);

        /** Index {@code name} of uuid {@code uuid} was deleted. */
        void unlisted(String name, String uuid);
    }

    private final TopicNames names;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Listener listener;
    private final Thread thread;
    private final TopicPartition indicesPartition;
    /** Listed indices: name to uuid. Tail thread only. */
    private final Map<String, String> listed = new HashMap<>();
    private final Map<String, IndexMetadata> known = new ConcurrentHashMap<>();
    private final Object progress = new Object();
    private volatile long position;
    private volatile boolean closing;

    public MetadataTail(Map<String, Object> clientProperties, TopicNames names, Listener listener) {
        this.names = names;
        this.listener = listener;
        Map<String, Object> config = LogReaderConfig.of(clientProperties, 500);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"); // a meta topic deleted and made again
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 200);
        this.consumer = new KafkaConsumer<>(config);
        this.indicesPartition = new TopicPartition(names.indices(), 0);
        this.thread = new Thread(this::run, "kccr-metadata-tail");
        this.thread.setDaemon(true);
    }

    /**
     * Reads the log up to its current end, telling the listener of every index listed, then follows it on its own
     * thread. Returns once caught up.
     */
    public void start(Duration timeout) throws TimeoutException, InterruptedException {
        consumer.assign(List.of(indicesPartition));
        consumer.seekToBeginning(List.of(indicesPartition));
        long end = consumer.endOffsets(List.of(indicesPartition), timeout).get(indicesPartition);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position < end || !metadataKnownForAllListed()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("could not read the cluster's indices from [" + names.indices()
                        + "] within " + timeout.toSeconds() + "s; is Kafka reachable?");
            }
            pollOnce();
        }
        thread.start();
    }

    private boolean metadataKnownForAllListed() {
        for (Map.Entry<String, String> e : listed.entrySet()) {
            IndexMetadata m = known.get(e.getKey());
            if (m == null || !m.uuid().equals(e.getValue())) {
                TopicPartition meta = new TopicPartition(names.meta(e.getKey()), 0);
                // a listed index whose meta topic is empty (it was never filled) is skipped, as the catalog does
                Long end = consumer.endOffsets(List.of(meta)).get(meta);
                if (end != null && end > 0 && consumer.position(meta) < end) {
                    return false;
                }
            }
        }
        return true;
    }

    private void run() {
        try {
            while (!closing) {
                try {
                    pollOnce();
                } catch (WakeupException e) {
                    // closing
                } catch (InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    log.warn("reading the cluster's index metadata failed; retrying", e);
                    sleepQuietly();
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000); // a back-off after a failure, on the tail's own thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pollOnce() {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        Set<String> reassign = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            if (r.key() == null) {
                continue;
            }
            String key = new String(r.key(), StandardCharsets.UTF_8);
            if (r.topic().equals(names.indices())) {
                onListing(key, r.value(), reassign);
            } else if (key.equals(MetadataLog.metadataKey()) && r.value() != null) {
                onMetadata(r.value());
            }
        }
        if (!reassign.isEmpty()) {
            assignMetaTopics(reassign);
        }
        long p = consumer.position(indicesPartition);
        if (p != position) {
            position = p;
        }
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private void onListing(String name, byte[] value, Set<String> reassign) {
        if (value == null) {
            String uuid = listed.remove(name);
            known.remove(name);
            reassign.add(name);
            if (uuid != null) {
                listener.unlisted(name, uuid);
            }
            return;
        }
        try {
            String uuid = JSON.readTree(value).path("uuid").asText();
            String was = listed.put(name, uuid);
            if (!uuid.equals(was)) {
                if (was != null) {
                    known.remove(name);
                    listener.unlisted(name, was);
                }
                reassign.add(name); // read its meta topic from the start
            }
        } catch (java.io.IOException e) {
            log.warn("unreadable entry [{}] in [{}]; skipping it", name, names.indices());
        }
    }

    private void onMetadata(byte[] value) {
        try {
            IndexMetadata meta = IndexMetadata.fromJson(JSON.readTree(value));
            if (!meta.uuid().equals(listed.get(meta.name()))) {
                return; // an index of another uuid (deleted meanwhile), or not listed yet
            }
            IndexMetadata was = known.get(meta.name());
            if (was == null || meta.mappingVersion() > was.mappingVersion()
                    || meta.settingsVersion() > was.settingsVersion()) {
                listener.listed(meta); // first: await() returns once it is known, so the listener must be done
                known.put(meta.name(), meta);
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("unreadable index metadata; skipping it", e);
        }
    }

    /** Re-assigns the meta topics of the listed indices; those in {@code fresh} are read from their start. */
    private void assignMetaTopics(Set<String> fresh) {
        Map<TopicPartition, Long> keep = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            keep.put(tp, consumer.position(tp));
        }
        List<TopicPartition> wanted = new ArrayList<>();
        wanted.add(indicesPartition);
        for (String name : listed.keySet()) {
            wanted.add(new TopicPartition(names.meta(name), 0));
        }
        consumer.assign(wanted);
        for (TopicPartition tp : wanted) {
            String index = tp.topic().equals(names.indices()) ? null
                    : tp.topic().substring(names.prefix().length() + 1, tp.topic().length() - ".meta".length());
            if (index != null && fresh.contains(index) || !keep.containsKey(tp)) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, keep.get(tp));
            }
        }
    }

    /** How far {@code <prefix>.indices} was read: the offset of its next record. */
    public long position() {
        return position;
    }

    /** The latest metadata of every listed index known here. */
    public Map<String, IndexMetadata> indices() {
        return Map.copyOf(known);
    }

    /**
     * Waits until the tail has read {@code <prefix>.indices} past {@code offset} (exclusive end) and knows the
     * metadata of index {@code name} of uuid {@code uuid}.
     */
    public IndexMetadata await(String name, String uuid, long offset, Duration timeout)
            throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (true) {
                IndexMetadata m = known.get(name);
                if (position >= offset && m != null && m.uuid().equals(uuid)) {
                    return m;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("index [" + name + "] was not seen in [" + names.indices()
                            + "] within " + timeout.toSeconds() + "s");
                }
                progress.wait(Math.max(1, Math.min(200, left / 1_000_000)));
            }
        }
    }

    @Override
    public void close() {
        closing = true;
        if (thread.isAlive()) {
            consumer.wakeup();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(Duration.ZERO);
        }
    }
}
