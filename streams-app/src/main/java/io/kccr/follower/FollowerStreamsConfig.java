package io.kccr.follower;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of a follower's application. */
final class FollowerStreamsConfig {
    private FollowerStreamsConfig() {
    }

    /**
     * At-least-once processing (the store's own offsets and the seq_no checks make it exact), static
     * membership, one thread per shard, read-committed, offsets committed every second (the lag every
     * Kafka tool shows), the follow parameters that mean something here.
     */
    static Properties of(FollowerDefinition definition, FollowParameters parameters,
                         Map<String, Object> remoteClientProperties, Path stateDir, int shards) {
        Properties p = new Properties();
        p.putAll(remoteClientProperties);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, definition.applicationId());
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // static membership (Streams appends each thread's index): a follower restarted after a crash takes its
        // partitions back at once instead of waiting for the dead members' sessions to time out (45 s by default)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), definition.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        // one thread per shard (up to twice the cores): shards apply in parallel, each in its partition's order; with
        // fewer threads than shards one thread gets two shards and the others wait for it (3 shards on 2 cores: 2:1)
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                Math.max(1, Math.min(shards, 2 * Runtime.getRuntime().availableProcessors())));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG),
                parameters.maxReadRequestOperationCount());
        p.put(StreamsConfig.RETRY_BACKOFF_MS_CONFIG, Math.min(100, parameters.maxRetryDelay().toMillis()));
        return p;
    }
}
