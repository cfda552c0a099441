package io.kccr.follower;

import static io.kccr.follower.FollowerStatus.ACTIVE;
import static io.kccr.follower.FollowerStatus.BOOTSTRAPPING;
import static io.kccr.follower.FollowerStatus.FAILED;
import static io.kccr.follower.FollowerStatus.PAUSED;
import static io.kccr.follower.FollowerStatus.REBUILDING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FollowerStatusTest {

    @Test
    void everyStatusMayMoveAnywhereButIntoPausedFromPausedOrFailed() {
        for (FollowerStatus from : FollowerStatus.values()) {
            for (FollowerStatus to : FollowerStatus.values()) {
                boolean refused = to == PAUSED && (from == PAUSED || from == FAILED);
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(!refused);
            }
        }
    }

    @Test
    void workThatRunsRestartsInPlaceButAPausedFollowerIsResumedIntoSomethingElse() {
        Set<FollowerStatus> restartable = EnumSet.noneOf(FollowerStatus.class);
        for (FollowerStatus s : FollowerStatus.values()) {
            if (s.canMoveTo(s)) {
                restartable.add(s);
            }
        }
        assertThat(restartable).containsExactlyInAnyOrder(BOOTSTRAPPING, REBUILDING, ACTIVE, FAILED);
    }

    @Test
    void onlyPausedAndFailedFollowersAreStopped() {
        assertThat(EnumSet.allOf(FollowerStatus.class).stream().filter(FollowerStatus::stopped))
                .containsExactlyInAnyOrder(PAUSED, FAILED);
    }

    @Test
    void statusesAreLowerCaseInJsonAndReadInAnyCase() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (FollowerStatus s : FollowerStatus.values()) {
            String written = json.writeValueAsString(s);
            assertThat(written).isEqualTo("\"" + s.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            assertThat(json.readValue(written, FollowerStatus.class)).isEqualTo(s);
        }
        assertThat(FollowerStatus.fromJson("Active")).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> FollowerStatus.fromJson("following")).isInstanceOf(IllegalArgumentException.class);
    }
}
