package io.kccr.follower.apply;

/**
 * A failure that stops a follower for good (status {@code failed}): its message says what
 * happened, where, and what to do (e.g. re-bootstrap), and is shown as {@code fatal_exception}.
 */
public class FollowerFailure extends RuntimeException {
    private final String type;

    public FollowerFailure(String type, String message) {
        super(message);
        this.type = type;
    }

    public FollowerFailure(String type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Elasticsearch-style error type, e.g. {@code illegal_state_exception}. */
    public String type() {
        return type;
    }

    /** The failure in {@code e}'s cause chain; null when there is none. */
    public static FollowerFailure find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FollowerFailure f) {
                return f;
            }
        }
        return null;
    }
}
