package io.kccr.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verify report's JSON: the fields of {@code POST /<follower>/_ccr/verify}, in order, absent hashes left out. */
class VerifyReportJsonTest {

    @Test
    void writesEveryFieldInOrder() throws Exception {
        ShardReport shard = new ShardReport(0, 4, 4, 3, 3, 2, 1, 1, 0, 0, 0, List.of(
                new Difference(Difference.Type.MISSING, "x", 4, -1, "aa", null),
                new Difference(Difference.Type.EXTRA, "y", -1, 2, null, "bb")));
        StringWriter out = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            VerifyReportJson.write(new VerifyReport("idx", "copy", List.of(shard), 24), json);
        }
        assertThat(out.toString()).isEqualTo("{\"leader_index\":\"idx\",\"follower_index\":\"copy\","
                + "\"identical\":false,\"took\":24,\"shards\":[{\"shard\":0,\"identical\":false,\"checkpoint\":4,"
                + "\"leader_max_seq_no\":4,\"follower_max_seq_no\":3,\"leader_docs\":3,\"follower_docs\":2,"
                + "\"matched\":1,\"missing\":1,\"extra\":0,\"different\":0,\"beyond_checkpoint\":0,"
                + "\"first_differences\":[{\"type\":\"missing\",\"_id\":\"x\",\"leader_seq_no\":4,"
                + "\"follower_seq_no\":-1,\"leader_hash\":\"aa\"},{\"type\":\"extra\",\"_id\":\"y\","
                + "\"leader_seq_no\":-1,\"follower_seq_no\":2,\"follower_hash\":\"bb\"}]}]}");
    }
}
