package io.kccr.testkit;

/**
 * A Kafka cluster a test talks to, whatever runs it: the in-process {@link KafkaBroker} or the
 * Docker {@link ContainerKafkaBroker}. Both are JUnit 5 extensions that create the cluster before
 * the test class and dispose of it (with its data) after; this interface is what tests use in
 * between. Implementations are thread-safe: a test may call {@link #stop()} / {@link #restart()}
 * while other threads produce and consume.
 */
public interface KafkaCluster {

    /**
     * {@code host:port} for clients. It does not change across {@link #stop()} and
     * {@link #restart()}, so clients created before a restart reconnect to the same address.
     */
    String bootstrapServers();

    /**
     * Stops the broker and keeps its data: clients then find nothing listening at
     * {@link #bootstrapServers()} ("Kafka unreachable") until {@link #restart()}. No-op if stopped.
     */
    void stop();

    /**
     * Starts the broker again on the same data and the same address (stopping it first if it
     * runs) and returns once it serves clients. Topics, records, committed offsets and transaction
     * state written before survive.
     */
    void restart();

    /** Whether the broker is currently started (between creation/{@link #restart()} and {@link #stop()}). */
    boolean isRunning();
}
