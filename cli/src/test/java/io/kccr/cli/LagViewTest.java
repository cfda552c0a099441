package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class LagViewTest {

    private static JsonNode json(String text) throws Exception {
        return NodeClient.JSON.readTree(text.replace('\'', '"'));
    }

    private static JsonNode stats(long written0, long written1, long lag) throws Exception {
        return json("{'follow_stats':{'indices':[{'index':'f','follower_to_leader_lagging_ops_count':" + lag
                + ",'shards':[{'shard_id':0,'operations_written':" + written0 + ",'lag_seconds':0.5},"
                + "{'shard_id':1,'operations_written':" + written1 + ",'lag_seconds':2.25}]}]}}");
    }

    @Test
    void theApplyRateComesFromConsecutiveSamples() throws Exception {
        JsonNode info = json("{'follower_indices':[{'follower_index':'f','status':'active','detailed_status':'active'}]}");
        LagView view = new LagView();
        List<LagView.Row> first = view.sample(stats(100, 50, 7), info, 10_000);
        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo("active");
            assertThat(r.opsLag()).isEqualTo(7);
            assertThat(r.lagSeconds()).isEqualTo(2.25);
            assertThat(r.applyRate()).isNaN();
        });
        List<LagView.Row> second = view.sample(stats(400, 250, 0), info, 12_000);
        assertThat(second.getFirst().applyRate()).isEqualTo(250.0); // 500 ops in 2 s
        assertThat(LagView.line(second)).isEqualTo("f active ops_lag=0 lag=2.3s apply=250/s");
        assertThat(LagView.table(second).lines()).containsExactly(
                "index  status  ops_lag  lag_s  apply_ops/s",
                "f      active  0        2.3    250");
    }

    @Test
    void recoveryIsSummedOverShards() throws Exception {
        JsonNode recovery = json("{'f':{'shards':["
                + "{'id':0,'stage':'DONE','index':{'size':{'total_in_bytes':100,'reused_in_bytes':40,"
                + "'recovered_in_bytes':60}},'translog':{'recovered':10,'total':10}},"
                + "{'id':1,'stage':'TRANSLOG','index':{'size':{'total_in_bytes':100,'reused_in_bytes':0,"
                + "'recovered_in_bytes':100}},'translog':{'recovered':5,'total':20}}]}}");
        RecoverySummary r = RecoverySummary.of(recovery, "f");
        assertThat(r).isEqualTo(new RecoverySummary(2, 1, 200, 200, 15, 30, "TRANSLOG"));
        assertThat(r.replaying()).isTrue();
        assertThat(RecoverySummary.bytes(1536)).isEqualTo("1.5kb");
    }
}
