package io.kccr.node.metrics;

import io.kccr.leader.LeaderShard;
import io.kccr.leader.PublishListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The leader series, per shard: ops committed to Kafka, publish latency (from a request's writes
 * being queued to their transaction's commit) and max seq_no. Each shard's writer registers them
 * as it opens and removes them as it closes, so a deleted index takes its series with it.
 *
 * <p>Thread-safe: shards open and close on their own threads.
 */
final class LeaderMetrics implements PublishListener {
    static final String OPS_PUBLISHED = "kccr.leader.ops.published";
    static final String PUBLISH_LATENCY = "kccr.leader.publish.latency";
    static final String MAX_SEQ_NO = "kccr.leader.max.seq.no";

    /** Histogram buckets: a commit takes milliseconds; seconds mean Kafka is struggling. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final MeterRegistry registry;
    /** One row per open shard, read from the shard at each scrape. */
    private final MultiGauge maxSeqNos;
    /** The rows of {@link #maxSeqNos}, by shard; guarded by itself. */
    private final Map<Tags, MultiGauge.Row<LeaderShard>> openShards = new LinkedHashMap<>();

    LeaderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.maxSeqNos = MultiGauge.builder(MAX_SEQ_NO).description("The highest seq_no applied to this leader"
                + " shard; -1 when none").register(registry);
    }

    @Override
    public Shard open(String index, LeaderShard shard) {
        Tags tags = Tags.of("index", index, "shard", Integer.toString(shard.shardId()));
        Counter published = Counter.builder(OPS_PUBLISHED).description("Ops of this leader shard committed to Kafka")
                .tags(tags).register(registry);
        Timer latency = Timer.builder(PUBLISH_LATENCY).description("From a request's writes being queued for this"
                        + " shard to their Kafka transaction's commit").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        MultiGauge.Row<LeaderShard> maxSeqNo = MultiGauge.Row.of(tags, shard, LeaderShard::maxSeqNo);
        synchronized (openShards) {
            openShards.put(tags, maxSeqNo);
            registerMaxSeqNos();
        }
        return new Shard() {
            @Override
            public void published(int ops) {
                published.increment(ops);
            }

            @Override
            public void latency(long nanos) {
                latency.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void close() {
                registry.remove(published);
                registry.remove(latency);
                synchronized (openShards) {
                    // only this shard's own row: a shard opened since under the same name keeps its series
                    openShards.remove(tags, maxSeqNo);
                    registerMaxSeqNos();
                }
            }
        };
    }

    /** Replaces the max seq_no series by those of the shards open now. */
    private void registerMaxSeqNos() {
        maxSeqNos.register(List.copyOf(openShards.values()), true);
    }
}
