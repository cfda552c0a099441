package io.kccr.follower;

import io.kccr.follower.apply.ShardRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
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

    /** {@code committer} runs the stores' Lucene commits, beside the stream threads that apply. */
    public static Topology build(String opsTopic, ShardRegistry registry, Duration luceneCommitInterval,
                                 Executor committer) {
        Topology topology = new Topology();
        topology.addReadOnlyStateStore(new Builder(registry, luceneCommitInterval, committer), SOURCE,
                new ByteArrayDeserializer(), new ByteArrayDeserializer(), opsTopic, PROCESSOR,
                () -> new ApplyProcessor(STORE));
        return topology;
    }

    /** Builds one store per task; logging is meaningless here (the source topic is the changelog). */
    private static final class Builder implements StoreBuilder<LuceneShardStore> {
        private final ShardRegistry registry;
        private final Duration commitInterval;
        private final Executor committer;
        private boolean logging = false;

        Builder(ShardRegistry registry, Duration commitInterval, Executor committer) {
            this.registry = registry;
            this.commitInterval = commitInterval;
            this.committer = committer;
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
            return new LuceneShardStore(STORE, registry, commitInterval, committer);
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
