package io.kccr.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cumulative counts read at each scrape (e.g. ops applied since the node started), as counters: {@link #update}
 * is handed every count that exists now, registers the new ones, sets all their values, and removes the counters
 * it was not handed this time (their index was deleted or unfollowed), so no series outlives what it counts.
 * Micrometer's {@code MultiGauge} does this for gauges; it has no counterpart for counters.
 *
 * <p>Thread-safe: updates are serialized.
 */
final class ScrapedCounters {

    /** What a collector reports one count through (scraped as {@code <name>_total}). */
    interface Counts {
        void count(String name, String description, Tags tags, double value);
    }

    private record Key(String name, Tags tags) {
    }

    /** The value a counter shows until the next update; the registry reads it at scrape time. */
    private static final class Sample {
        private volatile double value;

        double value() {
            return value;
        }
    }

    private record Entry(FunctionCounter counter, Sample sample) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Entry> counters = new HashMap<>();

    ScrapedCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets every count {@code collector} reports and removes every other counter it reported before. */
    synchronized void update(Consumer<Counts> collector) {
        Map<Key, Entry> seen = new HashMap<>();
        collector.accept((name, description, tags, value) -> {
            Key key = new Key(name, tags);
            Entry entry = counters.computeIfAbsent(key, k -> register(k, description));
            entry.sample().value = value;
            seen.put(key, entry);
        });
        for (Iterator<Map.Entry<Key, Entry>> it = counters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            if (!seen.containsKey(e.getKey())) {
                registry.remove(e.getValue().counter());
                it.remove();
            }
        }
    }

    private Entry register(Key key, String description) {
        Sample sample = new Sample();
        FunctionCounter counter = FunctionCounter.builder(key.name(), sample, Sample::value).description(description)
                .tags(key.tags()).register(registry);
        return new Entry(counter, sample);
    }
}
