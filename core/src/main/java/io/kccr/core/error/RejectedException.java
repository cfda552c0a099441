package io.kccr.core.error;

import java.util.Map;

/** {@code es_rejected_execution_exception}: a limit is reached (sessions, memory); retry later. */
public final class RejectedException extends KccrException {

    public RejectedException(String reason) {
        super("es_rejected_execution_exception", reason, Map.of(), null);
    }

    private RejectedException(String type, String reason) {
        super(type, reason, Map.of(), null);
    }

    /** {@code too_many_scroll_contexts_exception}: {@code search.max_open_scroll_context} scrolls are open. */
    public static RejectedException tooManyScrollContexts(int max) {
        return new RejectedException("too_many_scroll_contexts_exception", "Trying to create too many scroll contexts."
                + " Must be less than or equal to: [" + max + "]. This limit can be set by changing the"
                + " [search.max_open_scroll_context] setting; or clear the scrolls you no longer need"
                + " (DELETE /_search/scroll) and use shorter keep-alives.");
    }
}
