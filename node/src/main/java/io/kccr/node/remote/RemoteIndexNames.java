package io.kccr.node.remote;

import io.kccr.core.kafka.CompactedTopicReader;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The names of a remote's leader indices (those of its {@code <prefix>.indices} topic). */
@FunctionalInterface
public interface RemoteIndexNames {
    /** The names of the leader indices remote cluster {@code remoteCluster} lists now. */
    Set<String> read(String remoteCluster) throws Exception;

    /** Reads them from the remote's {@code <prefix>.indices} topic, with its Kafka client settings. */
    static RemoteIndexNames fromKafka(RemoteClusters remotes, Duration timeout) {
        return remote -> {
            ResolvedRemote resolved = remotes.resolve(remote);
            Map<String, byte[]> latest = new CompactedTopicReader(resolved.kafkaClientProperties(), timeout)
                    .readLatest(resolved.topics().indices());
            Set<String> names = new TreeSet<>();
            latest.forEach((name, value) -> {
                if (value != null) {
                    names.add(name);
                }
            });
            return names;
        };
    }
}
