package io.kccr.follower;

import io.kccr.core.error.FailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A follower's status and fatal error: the one place they change, and only along the moves
 * {@link FollowerStatus#canMoveTo} allows; any other move is a bug and throws. A fatal error is held
 * exactly while the status is {@code failed}. Whoever waits for the follower to be active gets a
 * future ({@link #untilActive}) that the moves complete.
 *
 * <p>Thread-safe: moves are serialized on this object; {@link #state} reads without locking and
 * always sees a status together with its own fatal error.
 */
final class FollowerLifecycle {

    /**
     * A status and, when failed, the error (null otherwise), and whether the follower, failed, starts again by itself
     * (the failure may pass: Kafka or the remote unreachable, a full disk).
     */
    record State(FollowerStatus status, FatalError fatalError, boolean retrying) {
        State {
            Objects.requireNonNull(status, "status");
            if ((status == FollowerStatus.FAILED) != (fatalError != null)) {
                throw new IllegalArgumentException("a fatal error goes with status failed, and only with it");
            }
            if (retrying && status != FollowerStatus.FAILED) {
                throw new IllegalArgumentException("only a failed follower retries");
            }
        }

        State(FollowerStatus status, FatalError fatalError) {
            this(status, fatalError, false);
        }
    }

    private final String follower;
    private volatile State state;
    private final List<CompletableFuture<Void>> waitingForActive = new ArrayList<>();

    /** {@code initial}: what the follower's files say it is (failed is reached through {@link #fail}). */
    FollowerLifecycle(String follower, FollowerStatus initial) {
        if (initial == FollowerStatus.FAILED) {
            throw new IllegalArgumentException("a follower starts failed only through fail(error)");
        }
        this.follower = follower;
        this.state = new State(initial, null);
    }

    State state() {
        return state;
    }

    FollowerStatus status() {
        return state.status();
    }

    /** The error the follower failed with; null unless it is failed. */
    FatalError fatalError() {
        return state.fatalError();
    }

    /**
     * Moves to {@code next} (not failed: see {@link #fail}), dropping any fatal error.
     *
     * @throws IllegalStateException when the table does not allow the move
     */
    synchronized void moveTo(FollowerStatus next) {
        if (next == FollowerStatus.FAILED) {
            throw new IllegalArgumentException("a follower fails with an error: use fail(error)");
        }
        move(new State(next, null));
    }

    /** Moves to failed with {@code error}, from any status; it starts again only when asked to. */
    synchronized void fail(FatalError error) {
        move(new State(FollowerStatus.FAILED, Objects.requireNonNull(error, "error")));
    }

    /** Moves to failed with {@code error}, from any status, to start again by itself ({@link State#retrying}). */
    synchronized void failRetrying(FatalError error) {
        move(new State(FollowerStatus.FAILED, Objects.requireNonNull(error, "error"), true));
    }

    /**
     * A future completed when the follower is active (at once if it is now), or completed exceptionally
     * with a {@link FailedException} naming the error when it fails first (or has failed). Neither happens
     * while it is paused; cancelling the future stops the wait.
     */
    synchronized CompletableFuture<Void> untilActive() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waitingForActive.removeIf(CompletableFuture::isDone);
        State now = state;
        if (now.status() == FollowerStatus.ACTIVE) {
            f.complete(null);
        } else if (now.status() == FollowerStatus.FAILED) {
            f.completeExceptionally(failedWhileStarting(now.fatalError()));
        } else {
            waitingForActive.add(f);
        }
        return f;
    }

    private void move(State next) {
        FollowerStatus from = state.status();
        if (!from.canMoveTo(next.status())) {
            throw new IllegalStateException("follower [" + follower + "] cannot go from " + from.jsonName() + " to "
                    + next.status().jsonName());
        }
        state = next;
        if (next.status() == FollowerStatus.ACTIVE || next.status() == FollowerStatus.FAILED) {
            for (CompletableFuture<Void> f : waitingForActive) {
                if (next.status() == FollowerStatus.ACTIVE) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(failedWhileStarting(next.fatalError()));
                }
            }
            waitingForActive.clear();
        }
    }

    private FailedException failedWhileStarting(FatalError error) {
        return new FailedException("follower [" + follower + "] failed while starting: " + error.describe(), null);
    }
}
