package io.kccr.node;

/** Placeholder: the node wiring is being written; this stub only fixes its public shape. */
public final class Node implements AutoCloseable {
    public static Node start(NodeSettings settings) {
        throw new UnsupportedOperationException("not yet");
    }

    /** {@code http://host:port} of the REST API. */
    public String httpAddress() {
        throw new UnsupportedOperationException();
    }

    /** The Kafka bootstrap servers this node publishes to (the embedded broker's when none were set). */
    public String kafkaBootstrapServers() {
        throw new UnsupportedOperationException();
    }

    /** Loads the bundled GeoNames sample into index {@code geonames} unless it exists; prints progress. */
    public void loadSampleData(java.io.PrintStream out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
