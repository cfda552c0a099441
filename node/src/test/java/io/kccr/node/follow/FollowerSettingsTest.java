package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.KccrException;
import org.junit.jupiter.api.Test;

/** The settings a follow request may carry: Elasticsearch's refusal of replicated ones, nothing accepted and lost. */
class FollowerSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KccrException refused(String settings) {
        return catchThrowableOfType(KccrException.class, () -> FollowerSettings.check(JSON.readTree(settings)));
    }

    @Test
    void replicatedSettingsAreRefusedInElasticsearchsWords() {
        KccrException shards = refused("{\"index\":{\"number_of_shards\":5}}");
        assertThat(shards.type()).isEqualTo("illegal_argument_exception");
        assertThat(shards.reason()).isEqualTo(
                "can not put follower index that could override leader settings {\"index.number_of_shards\":\"5\"}");
        assertThat(refused("{\"analysis\":{\"analyzer\":{\"a\":{\"type\":\"standard\"}}}}").reason())
                .startsWith("can not put follower index that could override leader settings {\"index.analysis.");
    }

    @Test
    void replicasAreTakenOtherNonReplicatedSettingsSayTheyCannotBeGivenHere() throws Exception {
        assertThatCode(() -> FollowerSettings.check(JSON.readTree("{\"index.number_of_replicas\":0}")))
                .doesNotThrowAnyException();
        assertThatCode(() -> FollowerSettings.check(null)).doesNotThrowAnyException();
        KccrException refresh = refused("{\"index\":{\"refresh_interval\":\"5s\"}}");
        assertThat(refresh.type()).isEqualTo("illegal_argument_exception");
        assertThat(refresh.reason()).contains("[index.refresh_interval]").contains("leave it out");
        assertThat(refused("{\"refresh_interval\":\"banana\"}").reason()).contains("index.refresh_interval");
    }
}
