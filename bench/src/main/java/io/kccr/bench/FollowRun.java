package io.kccr.bench;

import io.kccr.follower.FollowParameters;
import io.kccr.follower.FollowerDefinition;
import io.kccr.follower.FollowerIndex;
import io.kccr.follower.FollowerRuntime;
import io.kccr.follower.LeaderMetadataReader;
import io.kccr.follower.apply.FollowerShard;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.lucene.util.IOUtils;

/**
 * (b) of the follower benchmark, wherever it runs (in the benchmark's JVM or in one of its own,
 * {@link FollowerProcessMain}): a follower index replaying a leader's ops topic from offset 0 (the follow API would
 * bootstrap from the leader's files instead) through a {@link FollowerRuntime}, from its creation (reading the leader's
 * metadata, assigning its shards to the runtime) until every shard has applied its leader shard's last op; its
 * directory is deleted afterwards.
 *
 * @param bootstrapServers the leader's Kafka cluster
 * @param opsTopic         the leader index's ops topic
 * @param metaTopic        the leader index's metadata topic
 * @param leaderIndex      the leader index's name
 */
record FollowRun(String bootstrapServers, String opsTopic, String metaTopic, String leaderIndex) {

    /** A follow run: docs/s from the follower's creation to the last op applied, and how long the first op took. */
    record Result(double docsPerSecond, double startMillis) {
    }

    /** Follows into {@code dir} as {@code name} until shard i has applied seq_no {@code lastSeqNos[i]}. */
    Result follow(FollowerRuntime runtime, String name, long[] lastSeqNos, Path dir) throws Exception {
        long start = System.nanoTime();
        Map<String, Object> client = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        LeaderMetadataReader meta = new LeaderMetadataReader(client, metaTopic, Duration.ofSeconds(30));
        FollowerDefinition definition = new FollowerDefinition(name, "self", leaderIndex, "kccr-bench-follow-" + name,
                opsTopic, metaTopic, FollowParameters.DEFAULTS);
        long first = 0;
        long end;
        try (FollowerIndex f = new FollowerIndex(definition, meta.refresh(), meta, client, dir, runtime,
                Clock.systemUTC(), null)) {
            f.start();
            while (true) {
                List<FollowerShard> shards = f.shards();
                if (first == 0 && shards.stream().anyMatch(sh -> sh.maxSeqNo() >= 0)) {
                    first = System.nanoTime();
                }
                boolean done = shards.size() == lastSeqNos.length;
                for (int i = 0; done && i < shards.size(); i++) {
                    done = shards.get(i).maxSeqNo() >= lastSeqNos[i];
                }
                if (done) {
                    break;
                }
                Thread.sleep(1);
            }
            end = System.nanoTime();
        } finally {
            IOUtils.rm(dir);
        }
        long ops = 0;
        for (long seqNo : lastSeqNos) {
            ops += seqNo + 1;
        }
        return new Result(ops / ((end - start) / 1e9), (first - start) / 1e6);
    }
}
