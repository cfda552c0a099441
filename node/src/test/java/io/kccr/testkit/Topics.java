package io.kccr.testkit;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reading what topics hold, for the tests that check the log itself. */
public final class Topics {
    private Topics() {
    }

    /**
     * Polls {@code consumer} (assigned and positioned by the caller) until each partition's position reaches its
     * offset in {@code end}, and returns the records below those offsets, in the order polled (offset order within
     * a partition). Fails after {@code timeout}.
     */
    public static <K, V> List<ConsumerRecord<K, V>> readTo(Consumer<K, V> consumer, Map<TopicPartition, Long> end,
                                                           Duration timeout) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        await("reading up to the offsets " + end).atMost(timeout)
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)) // the poll waits
                .until(() -> {
                    for (ConsumerRecord<K, V> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                            records.add(r);
                        }
                    }
                    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                });
        return records;
    }
}
