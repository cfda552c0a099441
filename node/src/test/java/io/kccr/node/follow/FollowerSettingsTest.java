package io.kccr.node.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kccr.core.error.KccrException;
import io.kccr.core.index.IndexSettings;
import io.kccr.core.shard.ShardRefresher;
import io.kccr.follower.FollowerIndexSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings a follower may set itself: Elasticsearch's refusal of replicated ones, the non-replicated ones that act
 * here taken, updated, shown over the leader's and turned into the follower's refresh policy; nothing accepted and
 * lost.
 */
class FollowerSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KccrException refused(String settings) {
        return catchThrowableOfType(KccrException.class, () -> FollowerSettings.parse(JSON.readTree(settings)));
    }

    private static FollowerIndexSettings parse(String settings) throws Exception {
        return FollowerSettings.parse(JSON.readTree(settings));
    }

    @Test
    void totalShardsPerNodeIsTakenAsANumberOfShardsAndFixedOnceFollowed() throws Exception {
        FollowerIndexSettings two = parse("{\"index.routing.allocation.total_shards_per_node\":2}");
        assertThat(two.totalShardsPerNode()).isEqualTo(2);
        assertThat(parse("{}").totalShardsPerNode()).as("no limit").isEqualTo(-1);
        assertThat(parse("{\"index\":{\"routing\":{\"allocation\":{\"total_shards_per_node\":-1}}}}")
                .totalShardsPerNode()).isEqualTo(-1);
        for (String bad : new String[] {"0", "\"two\"", "-2"}) {
            assertThat(refused("{\"index.routing.allocation.total_shards_per_node\":" + bad + "}").reason())
                    .as(bad).contains("Failed to parse value").contains("give -1 (no limit)");
        }
        KccrException changed = catchThrowableOfType(KccrException.class, () -> FollowerSettings.checkFixed("f",
                two, FollowerSettings.update(two, JSON.readTree("{\"index.routing.allocation.total_shards_per_node"
                        + "\":3}"), false)));
        assertThat(changed.reason()).contains("is set when it is followed, and fixed");
        FollowerSettings.checkFixed("f", two, FollowerSettings.update(two, JSON.readTree(
                "{\"index.refresh_interval\":\"5s\"}"), false));
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
    void nonReplicatedSettingsThatActHereAreTakenTheOthersSayTheyHaveNoEffect() throws Exception {
        assertThat(parse("{\"index\":{\"refresh_interval\":\"-1\",\"number_of_replicas\":0},"
                + "\"search.idle.after\":\"10s\",\"max_result_window\":50}").own().flat()).isEqualTo(Map.of(
                "index.refresh_interval", "-1", "index.number_of_replicas", "0", "index.search.idle.after", "10s",
                "index.max_result_window", "50"));
        assertThat(FollowerSettings.parse(null)).isEqualTo(FollowerIndexSettings.NONE);
        KccrException priority = refused("{\"index\":{\"priority\":5}}");
        assertThat(priority.type()).isEqualTo("illegal_argument_exception");
        assertThat(priority.reason()).contains("[index.priority]", "no effect", "leave it out");
        for (String bad : new String[] {"banana", "-5s", "0s"}) {
            KccrException e = refused("{\"refresh_interval\":\"" + bad + "\"}");
            assertThat(e.type()).as(bad).isEqualTo("illegal_argument_exception");
            assertThat(e.reason()).as(bad).contains("index.refresh_interval", bad);
        }
        assertThat(refused("{\"search.idle.after\":\"-1\"}").reason()).contains("index.search.idle.after");
    }

    @Test
    void anUpdateMergesResetsWithNullAndPreservesExistingWhenAsked() throws Exception {
        FollowerIndexSettings current = parse("{\"refresh_interval\":\"5s\",\"max_result_window\":50}");
        assertThat(FollowerSettings.update(current, JSON.readTree("{\"index\":{\"refresh_interval\":\"-1\","
                + "\"max_result_window\":null}}"), false).own().flat()).isEqualTo(Map.of("index.refresh_interval",
                "-1"));
        assertThat(FollowerSettings.update(current, JSON.readTree("{\"settings\":{\"index.refresh_interval\":\"1s\","
                + "\"index.search.idle.after\":\"1m\"}}"), true).own().flat()).isEqualTo(Map.of(
                "index.refresh_interval", "5s", "index.max_result_window", "50", "index.search.idle.after", "1m"));
        KccrException shards = catchThrowableOfType(KccrException.class, () -> FollowerSettings.update(current,
                JSON.readTree("{\"index\":{\"number_of_shards\":2}}"), false));
        assertThat(shards.reason()).startsWith("can not put follower index that could override leader settings");
        KccrException reset = catchThrowableOfType(KccrException.class, () -> FollowerSettings.update(current,
                JSON.readTree("{\"index\":{\"number_of_shards\":null}}"), false));
        assertThat(reset.reason()).startsWith("can not put follower index that could override leader settings");
        assertThat(catchThrowableOfType(KccrException.class, () -> FollowerSettings.update(current,
                JSON.readTree("{}"), false)).type()).isEqualTo("action_request_validation_exception");
    }

    @Test
    void theFollowersOwnSettingsOverrideTheLeadersAndItsNonReplicatedOnesAreNotTaken() throws Exception {
        IndexSettings leader = IndexSettings.fromJson(JSON.readTree("{\"number_of_shards\":3,\"refresh_interval\":"
                + "\"30s\",\"max_result_window\":20,\"number_of_replicas\":2}"));
        assertThat(parse("{\"max_result_window\":70}").over(leader).flat()).isEqualTo(Map.of(
                "index.number_of_shards", "3", "index.max_result_window", "70"));
    }

    @Test
    void theRefreshPolicyIsTheFollowersOwnIntervalWithoutIdlingOrTheDefaultsWithItsIdleTime() throws Exception {
        ShardRefresher.Policy defaults = ShardRefresher.Policy.DEFAULT;
        assertThat(FollowerIndexSettings.NONE.refreshPolicy(defaults)).isEqualTo(defaults);
        assertThat(parse("{\"refresh_interval\":-1}").refreshPolicy(defaults))
                .isEqualTo(new ShardRefresher.Policy(null, null));
        assertThat(parse("{\"refresh_interval\":\"250ms\",\"search.idle.after\":\"1s\"}").refreshPolicy(defaults))
                .isEqualTo(new ShardRefresher.Policy(Duration.ofMillis(250), null));
        assertThat(parse("{\"search.idle.after\":\"5s\"}").refreshPolicy(defaults))
                .isEqualTo(new ShardRefresher.Policy(Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }
}
