package io.kccr.node.metrics;

import io.kccr.node.follow.FollowerCatalog;
import io.kccr.leader.PublishListener;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A node's metrics, in Prometheus' text format ({@code GET /metrics}): the leader's publishing
 * ({@link LeaderMetrics}, recorded as it happens), the followers' replication lag
 * ({@link FollowerMetrics}, read from the follower indices at each scrape) and JVM basics. The core
 * logic knows nothing of metrics: leaders report through a {@link PublishListener}, followers
 * through their stats.
 *
 * <p>Thread-safe; scrapes are serialized.
 */
public final class NodeMetrics implements AutoCloseable {
    /** The content type of {@link #scrape()}: Prometheus' text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final LeaderMetrics leaders = new LeaderMetrics(registry);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile FollowerMetrics followers;

    public NodeMetrics() {
        registry.config().namingConvention(keepingTotal(registry.config().namingConvention()));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** What the leader indices report their publishing to (given to the index catalog). */
    public PublishListener publishListener() {
        return leaders;
    }

    /**
     * Reports the node's red indices ({@code kccr_leader_index_red}, 1 per index that failed to open) and the write
     * requests refused by indexing pressure ({@code kccr_indexing_pressure_rejections_total}), the bytes in flight
     * ({@code kccr_indexing_pressure_current_bytes}).
     */
    public void watch(io.kccr.leader.IndexCatalog catalog, io.kccr.node.indices.IndexingPressure pressure) {
        io.micrometer.core.instrument.MultiGauge red = io.micrometer.core.instrument.MultiGauge
                .builder("kccr.leader.index.red").description("1 for each index that failed to open (red)")
                .register(registry);
        this.redIndices = () -> red.register(catalog.failed().keySet().stream()
                .map(name -> io.micrometer.core.instrument.MultiGauge.Row.of(
                        io.micrometer.core.instrument.Tags.of("index", name), 1)).toList(), true);
        io.micrometer.core.instrument.FunctionCounter.builder("kccr.indexing_pressure.rejections", pressure,
                io.kccr.node.indices.IndexingPressure::rejections)
                .description("Write requests refused with 429 by indexing_pressure.memory.limit").register(registry);
        io.micrometer.core.instrument.Gauge.builder("kccr.indexing_pressure.current", pressure,
                io.kccr.node.indices.IndexingPressure::currentBytes).baseUnit("bytes")
                .description("Request bytes of the writes in flight").register(registry);
    }

    private volatile Runnable redIndices = () -> { };

    /** Reports the followers of {@code catalog} from the next scrape on. */
    public void watch(FollowerCatalog catalog) {
        this.followers = new FollowerMetrics(catalog, registry);
    }

    /** Every series, as of now, in {@link #CONTENT_TYPE}. */
    public synchronized String scrape() {
        FollowerMetrics f = followers;
        if (f != null) {
            f.update();
        }
        redIndices.run();
        return registry.scrape();
    }

    /**
     * Prometheus' naming (dots to underscores, {@code _total} on counters, the base unit appended),
     * except that a gauge may end in {@code _total} (e.g. {@code kccr_follower_bootstrap_bytes_total}, a total
     * of bytes, not a counter), which the Prometheus client would strip otherwise.
     */
    private static NamingConvention keepingTotal(NamingConvention prometheus) {
        return new NamingConvention() {
            @Override
            public String name(String name, Meter.Type type, String baseUnit) {
                if (type == Meter.Type.GAUGE && name.endsWith(".total")) {
                    return prometheus.name(name.substring(0, name.length() - ".total".length()), type, baseUnit)
                            + "_total";
                }
                return prometheus.name(name, type, baseUnit);
            }

            @Override
            public String tagKey(String key) {
                return prometheus.tagKey(key);
            }

            @Override
            public String tagValue(String value) {
                return prometheus.tagValue(value);
            }
        };
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
