package io.kccr.node.metrics;

import io.kccr.leader.LeaderShard;
import io.kccr.leader.PublishListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The leader series, per shard: ops committed to Kafka, publish latency (from a request's writes
 * being queued to their transaction's commit) and max seq_no. Each shard's writer registers them
 * as it opens and removes them as it closes, so a deleted index takes its series with it.
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

    LeaderMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Shard open(String index, LeaderShard shard) {
        Tags tags = Tags.of("index", index, "shard", Integer.toString(shard.shardId()));
        Counter published = Counter.builder(OPS_PUBLISHED).description("Ops of this leader shard committed to Kafka")
                .tags(tags).register(registry);
        Timer latency = Timer.builder(PUBLISH_LATENCY).description("From a request's writes being queued for this"
                        + " shard to their Kafka transaction's commit").tags(tags).serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        Gauge maxSeqNo = Gauge.builder(MAX_SEQ_NO, shard, LeaderShard::maxSeqNo).description("The highest seq_no"
                + " applied to this leader shard; -1 when none").tags(tags).register(registry);
        List<Meter> meters = List.of(published, latency, maxSeqNo);
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
                meters.forEach(registry::remove);
            }
        };
    }
}
