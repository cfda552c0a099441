package io.kccr.follower;

import io.kccr.follower.apply.FollowerFailure;
import io.kccr.follower.apply.FollowerShard;
import io.kccr.follower.apply.ShardRegistry;
import io.kccr.core.kafka.KafkaAccessErrors;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's Kafka Streams application while it streams: started over the open shards, stopped
 * leaving the group. The one place that decides retry versus fatal for stream errors.
 *
 * <p>Used under the follower's lock.
 */
final class FollowerStreams {
    private static final Logger log = LoggerFactory.getLogger(FollowerStreams.class);

    private final FollowerDefinition definition;
    private final ShardRegistry registry;
    private final Map<String, Object> clientProperties;
    private final Path stateDir;
    private final int shards;
    private final Duration luceneCommitInterval;
    private final ExecutorService committer;
    private final ReadErrors readErrors;
    private final Consumer<FollowerFailure> fatal;
    private KafkaStreams streams;
    private volatile FollowParameters parameters;

    /** {@code fatal} is told of a failure that stops the follower (from a stream thread). */
    FollowerStreams(FollowerDefinition definition, ShardRegistry registry, Map<String, Object> clientProperties,
                    Path stateDir, int shards, Duration luceneCommitInterval, ExecutorService committer,
                    ReadErrors readErrors, Consumer<FollowerFailure> fatal) {
        this.definition = definition;
        this.registry = registry;
        this.clientProperties = clientProperties;
        this.stateDir = stateDir;
        this.shards = shards;
        this.luceneCommitInterval = luceneCommitInterval;
        this.committer = committer;
        this.readErrors = readErrors;
        this.fatal = fatal;
    }

    boolean running() {
        return streams != null;
    }

    /**
     * Checks that the log still holds every op the shards need (invariant 7), sets the consumer
     * group's start offsets and starts the application. With {@code fromShards} (right after a
     * bootstrap or a rebuild) the group starts at the shards' next offsets, whatever it committed.
     *
     * @return the failure, without starting, when the log lost ops the shards need; null once started
     * @throws FollowerFailure when the group's offsets cannot be set
     */
    FollowerFailure start(FollowParameters parameters, LeaderProgress progress, boolean fromShards) {
        List<FollowerShard> open = registry.openShards();
        FollowerFailure lost = LogCoverage.check(progress, open, definition.followerIndex(), definition.opsTopic());
        if (lost != null) {
            return lost;
        }
        try {
            StartPosition.apply(clientProperties, definition.applicationId(), definition.opsTopic(), open, fromShards);
        } catch (Exception e) {
            throw new FollowerFailure("exception", "could not set the start offsets of consumer group ["
                    + definition.applicationId() + "]: " + KafkaAccessErrors.advice(e, definition.remoteKafkaSettings())
                    .orElse(e.getMessage() + "; check that the remote's Kafka is reachable") + " and retry", e);
        }
        this.parameters = parameters;
        KafkaStreams s = new KafkaStreams(FollowerTopology.build(definition.opsTopic(), registry, luceneCommitInterval,
                committer),
                FollowerStreamsConfig.of(definition, parameters, clientProperties, stateDir, shards));
        s.setUncaughtExceptionHandler(this::onError);
        streams = s;
        s.start();
        return null;
    }

    /**
     * A {@link FollowerFailure} stops the follower (status failed, shown as {@code fatal_exception});
     * anything else (broker unavailable, a rebalance gone wrong) replaces the stream thread after a
     * capped exponential backoff with jitter, and shows in {@code read_exceptions} until an op is
     * applied again.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onError(Throwable e) {
        FollowerFailure failure = FollowerFailure.find(e);
        if (failure != null) {
            fatal.accept(failure);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long backoff = readErrors.recordAndBackoff(
                KafkaAccessErrors.advice(e, definition.remoteKafkaSettings()).orElse(e.toString()),
                parameters.maxRetryDelay().toMillis());
        log.warn("follower [{}] read error (retry in {} ms): {}", definition.followerIndex(), backoff, e.toString());
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** Stops the application, if running; commits what the shards applied if {@code commit}. */
    void stop(boolean commit) {
        if (streams == null) {
            return;
        }
        // leave the group: a paused (or closed) follower's group is empty at once, so its offsets can be
        // reset with Kafka's tools and a restart need not wait for the old member's session to time out
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streams = null;
        for (FollowerShard shard : commit ? registry.openShards() : List.<FollowerShard>of()) {
            try {
                if (shard.hasUncommittedOps()) {
                    shard.commit();
                }
            } catch (IOException e) {
                log.warn("follower [{}] shard [{}]: commit failed", definition.followerIndex(), shard.shardId(), e);
            }
        }
    }
}
