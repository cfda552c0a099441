package io.kccr.follower;

import static io.kccr.follower.FollowerStatus.ACTIVE;
import static io.kccr.follower.FollowerStatus.BOOTSTRAPPING;
import static io.kccr.follower.FollowerStatus.FAILED;
import static io.kccr.follower.FollowerStatus.PAUSED;
import static io.kccr.follower.FollowerStatus.REBUILDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.error.FailedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FollowerLifecycleTest {
    private static final FatalError LOST = new FatalError("illegal_state_exception", "history lost: re-bootstrap", null);

    @Test
    void aFollowerCopiesStreamsPausesAndResumes() {
        FollowerLifecycle life = new FollowerLifecycle("f", BOOTSTRAPPING);
        life.moveTo(ACTIVE);
        life.moveTo(PAUSED);
        life.moveTo(ACTIVE);
        life.moveTo(REBUILDING);
        life.moveTo(PAUSED); // held at a point in time
        life.moveTo(REBUILDING);
        life.moveTo(ACTIVE);
        assertThat(life.status()).isEqualTo(ACTIVE);
        assertThat(life.fatalError()).isNull();
    }

    @Test
    void anIllegalMoveIsRefusedAndChangesNothing() {
        FollowerLifecycle life = new FollowerLifecycle("f", ACTIVE);
        life.fail(LOST);
        assertThatThrownBy(() -> life.moveTo(PAUSED)).isInstanceOf(IllegalStateException.class)
                .hasMessage("follower [f] cannot go from failed to paused");
        assertThat(life.state()).isEqualTo(new FollowerLifecycle.State(FAILED, LOST));

        FollowerLifecycle paused = new FollowerLifecycle("g", PAUSED);
        assertThatThrownBy(() -> paused.moveTo(PAUSED)).isInstanceOf(IllegalStateException.class);
        assertThat(paused.status()).isEqualTo(PAUSED);
    }

    @Test
    void failingNeedsAnErrorWhichLastsUntilTheNextMove() {
        FollowerLifecycle life = new FollowerLifecycle("f", BOOTSTRAPPING);
        assertThatThrownBy(() -> life.moveTo(FAILED)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FollowerLifecycle("f", FAILED)).isInstanceOf(IllegalArgumentException.class);
        life.fail(LOST);
        assertThat(life.status()).isEqualTo(FAILED);
        assertThat(life.fatalError()).isEqualTo(LOST);
        FatalError again = new FatalError("exception", "still lost", null);
        life.fail(again);
        assertThat(life.fatalError()).isEqualTo(again);
        life.moveTo(BOOTSTRAPPING); // rebootstrap
        assertThat(life.fatalError()).isNull();
    }

    @Test
    void waitersAreToldWhenTheFollowerIsActive() {
        FollowerLifecycle life = new FollowerLifecycle("f", BOOTSTRAPPING);
        CompletableFuture<Void> first = life.untilActive();
        CompletableFuture<Void> second = life.untilActive();
        life.moveTo(PAUSED);
        life.moveTo(BOOTSTRAPPING);
        assertThat(first).isNotDone();
        life.moveTo(ACTIVE);
        assertThat(first).isCompleted();
        assertThat(second).isCompleted();
        assertThat(life.untilActive()).as("already active").isCompleted();
    }

    @Test
    void waitersAreToldWhenTheFollowerFailsFirst() {
        FollowerLifecycle life = new FollowerLifecycle("f", BOOTSTRAPPING);
        CompletableFuture<Void> waiting = life.untilActive();
        life.fail(LOST);
        assertThat(waiting).isCompletedExceptionally();
        assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(FailedException.class)
                .hasMessage("follower [f] failed while starting: illegal_state_exception: history lost: re-bootstrap");
        assertThat(life.untilActive()).as("already failed").isCompletedExceptionally();
    }

    @Test
    void aCancelledWaitIsNotCompletedLater() {
        FollowerLifecycle life = new FollowerLifecycle("f", BOOTSTRAPPING);
        CompletableFuture<Void> given = life.untilActive();
        given.cancel(false);
        life.moveTo(ACTIVE);
        assertThat(given).isCancelled();
    }

    @Test
    void aFailureThatMayPassRetriesUntilTheNextMoveOrAFailureForGood() {
        FollowerLifecycle life = new FollowerLifecycle("f", ACTIVE);
        FatalError away = new FatalError("exception", "the leader's log does not answer. Retrying by itself", null);
        life.failRetrying(away);
        assertThat(life.state()).isEqualTo(new FollowerLifecycle.State(FAILED, away, true));
        life.fail(LOST);
        assertThat(life.state().retrying()).as("failed for good").isFalse();
        life.failRetrying(away);
        life.moveTo(ACTIVE);
        assertThat(life.state()).isEqualTo(new FollowerLifecycle.State(ACTIVE, null));
        assertThatThrownBy(() -> new FollowerLifecycle.State(ACTIVE, null, true))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
