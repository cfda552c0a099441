package io.kccr.follower;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A follower index's status, as {@code _ccr/info} reports it (lower case), and the one table of the
 * moves between statuses that a follower may make ({@link #canMoveTo}); {@link FollowerLifecycle}
 * refuses any other. Each move and what makes it:
 *
 * <pre>
 * from           to             when
 * BOOTSTRAPPING  BOOTSTRAPPING  the copy restarts (resume_follow, rebootstrap), keeping the verified files
 *                ACTIVE         the leader's files are installed and streaming started from their offsets
 *                PAUSED         pause_follow
 *                REBUILDING     _ccr/rebuild
 *                FAILED         the copy failed, the leader was recreated meanwhile, or the log lost ops
 * REBUILDING     REBUILDING     _ccr/rebuild again
 *                ACTIVE         the log was replayed to its end and streaming started
 *                PAUSED         pause_follow, or the log was replayed to a point in time (held there)
 *                BOOTSTRAPPING  rebootstrap
 *                FAILED         the replay failed
 * ACTIVE         ACTIVE         streaming starts over the shards it opened (start, a rebootstrap that copies nothing)
 *                PAUSED         pause_follow
 *                REBUILDING     _ccr/rebuild
 *                BOOTSTRAPPING  rebootstrap
 *                FAILED         a fatal stream error (history lost, a record that is no operation)
 * PAUSED         ACTIVE         resume_follow
 *                BOOTSTRAPPING  resume_follow before a copy completed, or rebootstrap
 *                REBUILDING     resume_follow of an unfinished rebuild, or _ccr/rebuild
 *                FAILED         resume_follow finds that the log lost ops the shards need
 * FAILED         FAILED         a retry (resume_follow, restart) failed again
 *                ACTIVE, BOOTSTRAPPING, REBUILDING   as from PAUSED
 * </pre>
 *
 * Never into {@code PAUSED} from {@code PAUSED} or {@code FAILED}: pausing a failed follower leaves it
 * failed, so its fatal error stays shown until a retry.
 */
public enum FollowerStatus {
    /** Copying the leader's segments (remote recovery) before streaming. */
    BOOTSTRAPPING,
    /** Replaying the leader's log into a fresh index ({@code _ccr/rebuild}). */
    REBUILDING,
    /** Applying the leader's ops as they come. */
    ACTIVE,
    /** Stopped by {@code pause_follow}, or held at the point in time it was rebuilt to; searchable, resumable. */
    PAUSED,
    /** Stopped by an error that needs the user (see {@code fatal_exception}). */
    FAILED;

    private static final Map<FollowerStatus, Set<FollowerStatus>> NEXT = new EnumMap<>(FollowerStatus.class);

    static {
        NEXT.put(BOOTSTRAPPING, EnumSet.of(BOOTSTRAPPING, ACTIVE, PAUSED, REBUILDING, FAILED));
        NEXT.put(REBUILDING, EnumSet.of(REBUILDING, ACTIVE, PAUSED, BOOTSTRAPPING, FAILED));
        NEXT.put(ACTIVE, EnumSet.of(ACTIVE, PAUSED, REBUILDING, BOOTSTRAPPING, FAILED));
        NEXT.put(PAUSED, EnumSet.of(ACTIVE, BOOTSTRAPPING, REBUILDING, FAILED));
        NEXT.put(FAILED, EnumSet.of(FAILED, ACTIVE, BOOTSTRAPPING, REBUILDING));
    }

    /** Whether a follower in this status may move to {@code next} (see the table above). */
    public boolean canMoveTo(FollowerStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether the follower applies nothing and runs no work: paused or failed (as unfollow requires). */
    public boolean stopped() {
        return this == PAUSED || this == FAILED;
    }

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status named {@code name}, in any case ({@code follow.json} holds it lower case). */
    @JsonCreator
    public static FollowerStatus fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
