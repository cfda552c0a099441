package io.kccr.core.cluster;

/** How far a node's open copy of a shard is. */
public enum CopyState {
    /** Opening: a primary replaying its log before it takes writes, a replica catching up with the log. */
    INITIALIZING,
    /** A primary taking writes, a replica that reached the end of the log once and follows it. */
    STARTED
}
