package io.kccr.node.metrics;

import io.kccr.node.follow.FollowerCatalog;
import io.kccr.follower.FollowerDefinition;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerStatus;
import io.kccr.follower.ShardFollowStats;
import io.kccr.follower.bootstrap.ShardRecoveryState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower series, read from the node's follower indices at each scrape: the same numbers as
 * {@code GET /<index>/_ccr/stats} (per shard: ops lag, lag in seconds, consumer lag, ops applied and
 * skipped; bootstrap progress) and each follower's status. A series whose stat is not measured now
 * is absent, e.g. every lag while a follower has no open shard (bootstrapping): unknown, not zero. The
 * gauges are Micrometer {@link MultiGauge}s whose rows are replaced at each scrape, the counters
 * {@link ScrapedCounters}: either way a follower gone since the last scrape leaves no series.
 */
final class FollowerMetrics {
    private static final Logger log = LoggerFactory.getLogger(FollowerMetrics.class);

    static final String STATUS = "kccr.follower.status";
    static final String OPS_LAG = "kccr.follower.ops.lag";
    static final String LAG_SECONDS = "kccr.follower.lag.seconds";
    static final String CONSUMER_LAG = "kccr.follower.consumer.lag.records";
    static final String OPS_APPLIED = "kccr.follower.ops.applied";
    static final String OPS_SKIPPED = "kccr.follower.ops.skipped";
    static final String BOOTSTRAP_RECOVERED = "kccr.follower.bootstrap.bytes.recovered";
    static final String BOOTSTRAP_TOTAL = "kccr.follower.bootstrap.bytes.total";

    private final FollowerCatalog followers;
    private final MeterRegistry registry;
    /** Each gauge by name, registered when first reported; its rows are replaced at every scrape. */
    private final Map<String, MultiGauge> gauges = new HashMap<>();
    private final ScrapedCounters counters;

    FollowerMetrics(FollowerCatalog followers, MeterRegistry registry) {
        this.followers = followers;
        this.registry = registry;
        this.counters = new ScrapedCounters(registry);
    }

    /** What {@link #collect} reports one series through. */
    private interface Series {
        void gauge(String name, String description, Tags tags, double value);

        /** A cumulative count, e.g. ops applied since the node started (scraped as {@code <name>_total}). */
        void counter(String name, String description, Tags tags, double value);
    }

    /**
     * Re-reads every follower's stats into the registry; followers gone since the last scrape lose their series.
     * Called by one thread at a time.
     */
    void update() {
        Map<String, List<MultiGauge.Row<?>>> rows = new HashMap<>();
        counters.update(counts -> {
            Series series = new Series() {
                @Override
                public void gauge(String name, String description, Tags tags, double value) {
                    gauges.computeIfAbsent(name, n -> MultiGauge.builder(n).description(description)
                            .register(registry));
                    rows.computeIfAbsent(name, n -> new ArrayList<>()).add(MultiGauge.Row.of(tags, value));
                }

                @Override
                public void counter(String name, String description, Tags tags, double value) {
                    counts.count(name, description, tags, value);
                }
            };
            for (FollowerIndex f : followers.all()) {
                collect(f, series);
            }
        });
        gauges.forEach((name, gauge) -> gauge.register(rows.getOrDefault(name, List.of()), true));
    }

    private static void collect(FollowerIndex f, Series series) {
        Tags index = Tags.of("index", f.name());
        FollowerStatus status = f.status();
        for (FollowerStatus s : FollowerStatus.values()) {
            series.gauge(STATUS, "1 for the follower's current status, 0 for the others", index.and("status",
                    s.jsonName()), s == status ? 1 : 0);
        }
        FollowerDefinition d = f.definition();
        Tags follow = index.and("leader_index", d.leaderIndex()).and("remote_cluster", d.remoteCluster());
        for (ShardRecoveryState r : f.recovery()) {
            Tags shard = follow.and("shard", Integer.toString(r.shard()));
            series.gauge(BOOTSTRAP_RECOVERED, "Bytes of the leader's files in place (copied, or reused from an earlier"
                    + " attempt) in this shard's bootstrap", shard, r.bytesReused() + r.bytesRecovered());
            series.gauge(BOOTSTRAP_TOTAL, "Bytes of the leader's files this shard's bootstrap copies", shard,
                    r.bytesTotal());
        }
        List<ShardFollowStats> stats;
        try {
            stats = f.stats();
        } catch (RuntimeException e) {
            log.debug("stats of follower [{}] could not be read", f.name(), e);
            return; // its shard series are absent from this scrape: unknown rather than stale
        }
        for (ShardFollowStats s : stats) {
            Tags shard = follow.and("shard", Integer.toString(s.shardId()));
            if (s.operationsWritten() != null) {
                series.counter(OPS_APPLIED, "Leader ops applied to this follower shard since the node started", shard,
                        s.operationsWritten());
            }
            if (s.operationsSkippedDuplicate() != null) {
                series.counter(OPS_SKIPPED, "Ops skipped as already applied (seq_no at or below the shard's), e.g."
                        + " redelivered after a restart", shard, s.operationsSkippedDuplicate());
            }
            if (s.leaderMaxSeqNo() != null && s.followerMaxSeqNo() != null) {
                series.gauge(OPS_LAG, "The leader's max seq_no minus the follower shard's applied max seq_no", shard,
                        Math.max(0, s.leaderMaxSeqNo() - s.followerMaxSeqNo()));
            }
            if (s.lagSeconds() != null) {
                series.gauge(LAG_SECONDS, "Seconds since the leader wrote the oldest op not yet applied; 0 when caught"
                        + " up", shard, s.lagSeconds());
            }
            if (s.consumerLagRecords() != null) {
                series.gauge(CONSUMER_LAG, "Records of the shard's partition after the next offset to apply (the"
                        + " Kafka consumer lag)", shard, s.consumerLagRecords());
            }
        }
    }
}
