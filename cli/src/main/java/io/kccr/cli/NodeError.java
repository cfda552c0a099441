package io.kccr.cli;

/**
 * An error answer of a node's REST API, as the commands show it: the HTTP status, Elasticsearch's error
 * {@code type} and the reason, which says what to do next.
 */
public final class NodeError extends RuntimeException {
    private final int status;
    private final String type;

    public NodeError(int status, String type, String reason) {
        super(reason);
        this.status = status;
        this.type = type;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** Elasticsearch's error type, e.g. {@code index_not_found_exception}. */
    public String type() {
        return type;
    }

    /** What went wrong and what to do next. */
    public String reason() {
        return getMessage();
    }
}
