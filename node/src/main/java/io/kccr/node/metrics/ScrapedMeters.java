package io.kccr.node.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gauges and counters whose values are read at each scrape: {@link #update} is handed every series
 * that exists now, registers the new ones, sets all their values, and removes the series it was not
 * handed this time (their index was deleted or unfollowed), so no series outlives what it measures.
 *
 * <p>Thread-safe: updates are serialized.
 */
final class ScrapedMeters {

    /** What a collector reports one series through. */
    interface Series {
        void gauge(String name, String description, Tags tags, double value);

        /** A cumulative count, e.g. ops applied since the node started (scraped as {@code <name>_total}). */
        void counter(String name, String description, Tags tags, double value);
    }

    private record Key(String name, Tags tags) {
    }

    /** The value a series shows until the next update; the registry reads it at scrape time. */
    private static final class Sample {
        private volatile double value;

        double value() {
            return value;
        }
    }

    private record Entry(Meter meter, Sample sample) {
    }

    private final MeterRegistry registry;
    private final Map<Key, Entry> meters = new HashMap<>();

    ScrapedMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Sets every series {@code collector} reports and removes every other series it reported before. */
    synchronized void update(Consumer<Series> collector) {
        Map<Key, Entry> seen = new HashMap<>();
        collector.accept(new Series() {
            @Override
            public void gauge(String name, String description, Tags tags, double value) {
                set(new Key(name, tags), description, false, value, seen);
            }

            @Override
            public void counter(String name, String description, Tags tags, double value) {
                set(new Key(name, tags), description, true, value, seen);
            }
        });
        for (Iterator<Map.Entry<Key, Entry>> it = meters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            if (!seen.containsKey(e.getKey())) {
                registry.remove(e.getValue().meter());
                it.remove();
            }
        }
    }

    private void set(Key key, String description, boolean counter, double value, Map<Key, Entry> seen) {
        Entry entry = meters.computeIfAbsent(key, k -> register(k, description, counter));
        entry.sample().value = value;
        seen.put(key, entry);
    }

    private Entry register(Key key, String description, boolean counter) {
        Sample sample = new Sample();
        Meter meter = counter
                ? FunctionCounter.builder(key.name(), sample, Sample::value).description(description).tags(key.tags())
                        .register(registry)
                : Gauge.builder(key.name(), sample, Sample::value).description(description).tags(key.tags())
                        .strongReference(true).register(registry);
        return new Entry(meter, sample);
    }

    /** Removes every series this reported. */
    synchronized void clear() {
        meters.values().forEach(e -> registry.remove(e.meter()));
        meters.clear();
    }
}
