package io.kccr.follower;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * The topology of a follower index: the leader's ops topic as the source and changelog of a
 * read-only {@link LuceneShardStore} per partition, and a processor that applies each op to it.
 */
public final class FollowerTopology {
    static final String STORE = "lucene-shards";
    static final String SOURCE = "leader-ops";
    static final String PROCESSOR = "apply";

    private FollowerTopology() {
    }

    public static Topology build(String opsTopic, ShardRegistry registry, Duration luceneCommitInterval) {
        Topology topology = new Topology();
        topology.addReadOnlyStateStore(new Builder(registry, luceneCommitInterval), SOURCE,
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), opsTopic, PROCESSOR,
                () -> new ApplyProcessor(STORE));
        return topology;
    }

    /** Builds one store per task; logging is meaningless here (the source topic is the changelog). */
    private static final class Builder implements StoreBuilder<LuceneShardStore> {
        private final ShardRegistry registry;
        private final Duration commitInterval;
        private boolean logging = false;

        Builder(ShardRegistry registry, Duration commitInterval) {
            this.registry = registry;
            this.commitInterval = commitInterval;
        }

        @Override
        public StoreBuilder<LuceneShardStore> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<LuceneShardStore> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<LuceneShardStore> withLoggingEnabled(Map<String, String> config) {
            logging = true;
            return this;
        }

        @Override
        public StoreBuilder<LuceneShardStore> withLoggingDisabled() {
            logging = false;
            return this;
        }

        @Override
        public LuceneShardStore build() {
            return new LuceneShardStore(STORE, registry, commitInterval);
        }

        @Override
        public Map<String, String> logConfig() {
            return Map.of();
        }

        @Override
        public boolean loggingEnabled() {
            return logging;
        }

        @Override
        public String name() {
            return STORE;
        }
    }
}
