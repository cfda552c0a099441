package io.kccr.leader.recovery;

import io.kccr.core.error.KccrException;
import io.kccr.core.error.NotFoundException;
import io.kccr.core.error.RejectedException;
import java.time.Duration;

/** The errors of the restore session API, in Elasticsearch's types, each saying what to do next. */
final class RestoreErrors {
    private RestoreErrors() {
    }

    /** 404: a shard or file the session does not have. */
    static KccrException notFound(String reason) {
        return NotFoundException.resource( reason);
    }

    /** 404: no session with this id (any more). */
    static KccrException sessionNotFound(String uuid, Duration activityTimeout) {
        return NotFoundException.resource("restore session [" + uuid + "] not found:"
                + " it expired after [" + activityTimeout.toMillis() + "ms] without requests"
                + " (ccr.indices.recovery.recovery_activity_timeout), was released, or its index was deleted or"
                + " closed; open a new session with POST /<index>/_ccr/restore_session and start the copy again");
    }

    /** 429: the node holds as many sessions as it may. */
    static KccrException tooManySessions(String index, int max) {
        return new RejectedException("cannot open a restore session on [" + index
                + "]: this node already holds [" + max + "] restore sessions, the limit of ccr.recovery.max_sessions;"
                + " retry once other followers have finished copying (or their sessions expired), release sessions"
                + " you no longer need with DELETE /_ccr/restore_session/<session_uuid>, or raise"
                + " ccr.recovery.max_sessions");
    }
}
