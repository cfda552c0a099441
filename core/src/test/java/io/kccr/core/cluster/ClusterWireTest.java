package io.kccr.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterWireTest {
    private static final NodeInfo NODE = new NodeInfo("n1", "node-1", "e1", "http://127.0.0.1:9200", 1234);

    @Test
    void aMemberReportRoundTrips() {
        MemberReport report = new MemberReport(NODE, "kccr", true,
                List.of(new HeldCopy(new ShardId("logs", 2), "u", CopyRole.REPLICA, CopyState.STARTED, 41, 0)),
                17, List.of(new IndexLayout("logs", "u", 3, 1)));
        assertThat(ClusterWire.decodeReport(ClusterWire.encode(report))).isEqualTo(report);
    }

    @Test
    void anAssignmentRoundTrips() {
        RoutingTable table = new RoutingTable(7, List.of(NODE), List.of("n1"), List.of(new IndexLayout("logs", "u", 1, 1)),
                List.of(new ShardPlacement(new ShardId("logs", 0), "n1", List.of(), "n2")));
        ClusterWire.Assignment assignment = new ClusterWire.Assignment(table, null);
        assertThat(ClusterWire.decodeAssignment(ClusterWire.encode(assignment))).isEqualTo(assignment);
        ClusterWire.Assignment refused = new ClusterWire.Assignment(null, "another cluster");
        assertThat(ClusterWire.decodeAssignment(ClusterWire.encode(refused))).isEqualTo(refused);
        assertThat(ClusterWire.tableFromJson(ClusterWire.toJson(table))).isEqualTo(table);
    }

    @Test
    void aMessageOfALaterFormatIsRefusedWithAdvice() {
        ByteBuffer later = ByteBuffer.wrap("{\"v\":2,\"body\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ClusterWire.decodeReport(later)).hasMessageContaining("upgrade this node");
    }

    @Test
    void fieldsOfALaterVersionAreIgnored() {
        String json = "{\"v\":1,\"extra\":1,\"body\":{\"node\":{\"id\":\"n1\",\"name\":\"node-1\",\"ephemeralId\":\"e1\","
                + "\"httpAddress\":\"http://x:1\",\"startedAt\":1,\"zone\":\"z\"},\"clusterName\":\"c\",\"leaving\":false,"
                + "\"copies\":[],\"indicesPosition\":0,\"indices\":[]}}";
        MemberReport r = ClusterWire.decodeReport(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.node().id()).isEqualTo("n1");
    }
}
