package io.kccr.core.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@link GroupOffsets} through Kafka's Admin API ({@code alterConsumerGroupOffsets}, which Kafka accepts for a group
 * without active members). The admin client, and its thread, is created on first use.
 */
final class AdminGroupOffsets implements GroupOffsets {
    private final Map<String, Object> clientProperties;
    private Admin admin;
    private boolean closed;

    AdminGroupOffsets(Map<String, Object> clientProperties) {
        this.clientProperties = clientProperties;
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(clientProperties);
            config.putIfAbsent("client.id", "kccr-feed-offsets");
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public CompletableFuture<Void> commit(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        offsets.forEach((tp, offset) -> committed.put(tp, new OffsetAndMetadata(offset)));
        return admin().alterConsumerGroupOffsets(group, committed).all().toCompletionStage().toCompletableFuture();
    }

    @Override
    public Map<TopicPartition, Long> committed(String group, Duration timeout) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> out = new HashMap<>();
        committed.forEach((tp, o) -> {
            if (o != null) {
                out.put(tp, o.offset());
            }
        });
        return out;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2)); // offsets are for Kafka's tools only; a dead broker gets no longer
            admin = null;
        }
    }
}
