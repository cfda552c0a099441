package io.kccr.leader.recovery;

import io.kccr.core.error.ApiException;
import java.time.Duration;
import java.util.Map;

/** The errors of the restore session API, in Elasticsearch's types, each saying what to do next. */
final class RestoreErrors {
    private RestoreErrors() {
    }

    /** 404: a shard or file the session does not have. */
    static ApiException notFound(String reason) {
        return new ApiException(404, "resource_not_found_exception", reason);
    }

    /** 404: no session with this id (any more). */
    static ApiException sessionNotFound(String uuid, Duration activityTimeout) {
        return new ApiException(404, "resource_not_found_exception", "restore session [" + uuid + "] not found:"
                + " it expired after [" + activityTimeout.toMillis() + "ms] without requests"
                + " (ccr.indices.recovery.recovery_activity_timeout), was released, or its index was deleted or"
                + " closed; open a new session with POST /<index>/_ccr/restore_session and start the copy again",
                Map.of("resource.type", "restore_session", "resource.id", uuid), null);
    }

    /** 429: the node holds as many sessions as it may. */
    static ApiException tooManySessions(String index, int max) {
        return new ApiException(429, "es_rejected_execution_exception", "cannot open a restore session on [" + index
                + "]: this node already holds [" + max + "] restore sessions, the limit of ccr.recovery.max_sessions;"
                + " retry once other followers have finished copying (or their sessions expired), release sessions"
                + " you no longer need with DELETE /_ccr/restore_session/<session_uuid>, or raise"
                + " ccr.recovery.max_sessions");
    }
}
