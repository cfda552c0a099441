package io.kccr.follower;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.follower.apply.FollowerFailure;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FatalErrorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void roundTripsWithItsCauses() throws Exception {
        FatalError error = new FatalError("exception", "could not set the start offsets",
                new FatalError("timeout_exception", "no answer in 5000 ms", null));
        String json = JSON.writeValueAsString(error);
        assertThat(json).isEqualTo("{\"type\":\"exception\",\"reason\":\"could not set the start offsets\","
                + "\"caused_by\":{\"type\":\"timeout_exception\",\"reason\":\"no answer in 5000 ms\"}}");
        assertThat(JSON.readValue(json, FatalError.class)).isEqualTo(error);
    }

    @Test
    void readsTheStringAnEarlierVersionStored() throws Exception {
        assertThat(JSON.readValue("\"illegal_state_exception: history lost: topic [t] starts at 5\"", FatalError.class))
                .isEqualTo(new FatalError("illegal_state_exception", "history lost: topic [t] starts at 5", null));
        assertThat(FatalError.fromString("Broker: not available"))
                .isEqualTo(new FatalError("exception", "Broker: not available", null));
    }

    @Test
    void aFollowerFailureKeepsItsTypeReasonAndCause() {
        FatalError error = FatalError.of(new FollowerFailure("exception", "could not set offsets",
                new TimeoutException("Timed out waiting for a node assignment")));
        assertThat(error).isEqualTo(new FatalError("exception", "could not set offsets",
                new FatalError("timeout_exception", "Timed out waiting for a node assignment", null)));
        assertThat(error.describe()).isEqualTo("exception: could not set offsets");
        assertThat(FatalError.fromString(error.describe())).isEqualTo(new FatalError("exception",
                "could not set offsets", null));
    }
}
