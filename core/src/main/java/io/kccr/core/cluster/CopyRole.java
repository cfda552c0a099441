package io.kccr.core.cluster;

/** What a node does with its copy of a shard. */
public enum CopyRole {
    /** It runs the shard's writer: sequences, publishes and applies every write. */
    PRIMARY,
    /** It applies the shard's ops topic as the primary writes it: a warm copy, promoted when the primary is lost. */
    REPLICA,
    /** Files on disk from an earlier assignment, not open: a head start for whoever gets the shard next. */
    STORED
}
