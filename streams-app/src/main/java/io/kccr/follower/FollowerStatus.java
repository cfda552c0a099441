package io.kccr.follower;

import java.util.Locale;

/** A follower index's state, as {@code _ccr/info} reports it (lower case). */
public enum FollowerStatus {
    /** Copying the leader's segments (remote recovery) before streaming. */
    BOOTSTRAPPING,
    /** Replaying the leader's log into a fresh index ({@code _ccr/rebuild}). */
    REBUILDING,
    /** Applying the leader's ops as they come. */
    ACTIVE,
    /** Stopped by {@code pause_follow}; searchable, resumable. */
    PAUSED,
    /** Stopped by an error that needs the user (see {@code fatal_exception}). */
    FAILED;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
