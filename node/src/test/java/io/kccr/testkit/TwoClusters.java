package io.kccr.testkit;

import io.kccr.node.Node;
import java.nio.file.Path;
import java.util.Map;

/**
 * A leader cluster and a follower cluster for the CCR ITs: two in-process nodes on one Kafka with different topic
 * prefixes. The leader is {@code leader-cluster} / {@code leader-1} (topic prefix {@code lc}), the follower
 * {@code follower-cluster} / {@code follower-1}, which knows the leader as remote {@value #REMOTE} by its HTTP seed.
 * Each keeps its data under {@code data/leader} and {@code data/follower}. Closing stops the follower's followers
 * and the follower node, then the leader node.
 */
public final class TwoClusters implements AutoCloseable {
    /** The name under which the follower knows the leader. */
    public static final String REMOTE = "leader";

    private final Node leaderNode;
    private final Node followerNode;
    private final Http leader;
    private final Http follower;

    private TwoClusters(Node leaderNode, Node followerNode, String authorization) {
        this.leaderNode = leaderNode;
        this.followerNode = followerNode;
        this.leader = new Http(leaderNode.httpAddress()).withAuthorization(authorization);
        this.follower = new Http(followerNode.httpAddress()).withAuthorization(authorization);
    }

    /**
     * As {@link #start(KafkaCluster, Path)}, with security on both clusters, as nodes run by default: user
     * {@code elastic} has {@link TestNode#ELASTIC_PASSWORD} on both, and the follower authenticates to the leader
     * with a cross-cluster API key for every index. {@link #leader()} and {@link #follower()} are {@code elastic}'s.
     */
    public static TwoClusters startSecured(KafkaCluster kafka, Path data) throws Exception {
        Node leaderNode = TestNode.on(kafka).secured().dir(data.resolve("leader")).cluster("leader-cluster")
                .name("leader-1").topicPrefix("lc").start();
        try {
            Http leader = new Http(leaderNode.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
            String key = Http.expect(200, leader.post("/_security/cross_cluster/api_key", "{\"name\":\"follower\","
                    + "\"access\":{\"replication\":[{\"names\":[\"*\"]}]}}"), "cross-cluster key").json()
                    .path("encoded").asText();
            Node followerNode = TestNode.on(kafka).secured().dir(data.resolve("follower")).cluster("follower-cluster")
                    .name("follower-1").remote(REMOTE, leader.hostPort())
                    .setting("cluster.remote." + REMOTE + ".credentials", key).start();
            return new TwoClusters(leaderNode, followerNode, Http.basic("elastic", TestNode.ELASTIC_PASSWORD));
        } catch (Exception | Error e) {
            leaderNode.close();
            throw e;
        }
    }

    /** Starts the leader node, then the follower node; both with only the settings above. */
    public static TwoClusters start(KafkaCluster kafka, Path data) throws Exception {
        return start(kafka, data, Map.of(), Map.of());
    }

    /**
     * Starts the leader node, then the follower node, each with the settings above plus (overriding them) its
     * {@code extra} settings. When the follower does not start, the leader is closed again.
     */
    public static TwoClusters start(KafkaCluster kafka, Path data, Map<String, String> leaderExtra,
                                    Map<String, String> followerExtra) throws Exception {
        Node leaderNode = TestNode.on(kafka).dir(data.resolve("leader")).cluster("leader-cluster").name("leader-1")
                .topicPrefix("lc").settings(leaderExtra).start();
        try {
            String seed = new Http(leaderNode.httpAddress()).hostPort();
            Node followerNode = TestNode.on(kafka).dir(data.resolve("follower")).cluster("follower-cluster")
                    .name("follower-1").remote(REMOTE, seed).settings(followerExtra).start();
            return new TwoClusters(leaderNode, followerNode, null);
        } catch (Exception | Error e) {
            leaderNode.close();
            throw e;
        }
    }

    public Node leaderNode() {
        return leaderNode;
    }

    public Node followerNode() {
        return followerNode;
    }

    /** The leader node's REST API. */
    public Http leader() {
        return leader;
    }

    /** The follower node's REST API. */
    public Http follower() {
        return follower;
    }

    @Override
    public void close() {
        try {
            followerNode.followers().close(); // Node.close() leaves followers running
            followerNode.close();
        } finally {
            leaderNode.close();
        }
    }
}
