/**
 * The node-wide runtime that applies partitions of Kafka logs to shards: per Kafka cluster, a few plain
 * consumers ({@code assign()}, {@code pause()}/{@code resume()}, {@code seek()}, read committed) fetch every
 * assigned partition and hand its records to the shard's {@link io.kccr.core.feed.ShardSink} on a bounded pool of
 * apply threads, one write request of a shard at a time, in offset order. Adding or removing a shard is an
 * assignment change ({@link io.kccr.core.feed.LogFeed#assign}, {@link io.kccr.core.feed.FeedShard#unassign}), so
 * whoever decides which shards a node applies (the follower catalog today, a cluster-wide assignor later) drives it
 * through that one interface. Nothing here knows followers, Lucene or HTTP: a sink applies, commits and decides
 * what an error means.
 */
package io.kccr.core.feed;
