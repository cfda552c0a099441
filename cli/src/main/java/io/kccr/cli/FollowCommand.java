package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kccr follow}: {@code PUT /<follower>/_ccr/follow}, then the bootstrap's progress until it is active. */
@Command(name = "follow",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Create a follower index of a remote cluster's leader index, and show its bootstrap.",
        description = {
                "Calls PUT /<follower>/_ccr/follow on the follower cluster's node, then shows the bootstrap (the copy"
                        + " of the leader's segment files, GET /<follower>/_recovery) as a progress bar until the"
                        + " follower's status (GET /<follower>/_ccr/info) is active: from then on it streams the"
                        + " leader's operations from Kafka.",
                "With --wait the call itself waits for the copy (?wait_for_active_shards=1, as Elasticsearch"
                        + " clients do); with --no-progress the command returns as soon as the follower exists.",
                "",
                "The remote cluster must be known to the follower's node: -E cluster.remote.<name>.seeds=<host:port>"
                        + " or PUT /_cluster/settings.",
                "",
                "Examples:",
                "  kccr follow --remote-cluster leader --leader-index geonames geonames-follower",
                "  kccr follow --remote-cluster leader --leader-index logs --wait --url http://10.0.0.7:9200 logs-copy"},
        footerHeading = "%n",
        footer = "Exit codes: 0 active, 1 error answer or failed follower, 2 node unreachable or bad usage.")
final class FollowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Option(names = "--remote-cluster", required = true, paramLabel = "<name>",
            description = "The remote cluster (as the follower's node knows it) that holds the leader index.")
    String remoteCluster;

    @Option(names = "--leader-index", required = true, paramLabel = "<index>",
            description = "The leader index to follow.")
    String leaderIndex;

    @Option(names = "--wait",
            description = "Send ?wait_for_active_shards=1: the call returns once the copy is done and streaming"
                    + " started (progress is still shown meanwhile).")
    boolean waitForActiveShards;

    @Option(names = "--no-progress",
            description = "Return once the follower exists, without waiting for its bootstrap.")
    boolean noProgress;

    @Parameters(index = "0", paramLabel = "<follower>", description = "Name of the follower index to create.")
    String follower;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        follow(node.client(), out, remoteCluster, leaderIndex, follower, waitForActiveShards, !noProgress);
        return 0;
    }

    /** The follow request's body. */
    static ObjectNode body(String remoteCluster, String leaderIndex) {
        ObjectNode body = NodeClient.object();
        body.put("remote_cluster", remoteCluster);
        body.put("leader_index", leaderIndex);
        return body;
    }

    /**
     * Creates {@code follower} and, when {@code progress}, shows its bootstrap until it is active; {@code wait} sends
     * {@code ?wait_for_active_shards=1}. Returns the status reached (active, or whatever it was when not waiting).
     */
    static String follow(NodeClient client, PrintWriter out, String remoteCluster, String leaderIndex,
            String follower, boolean wait, boolean progress) throws InterruptedException {
        String path = "/" + follower + "/_ccr/follow" + (wait ? "?wait_for_active_shards=1" : "");
        out.println("PUT " + client.url() + path + " " + body(remoteCluster, leaderIndex));
        out.flush();
        CompletableFuture<JsonNode> call = client.sendAsync("PUT", path, body(remoteCluster, leaderIndex));
        if (!progress) {
            JsonNode answer = join(call);
            out.println("follower index [" + follower + "] created, following [" + remoteCluster + ":" + leaderIndex
                    + "]; shards active: " + answer.path("follow_index_shards_acked").asBoolean());
            out.flush();
            return FollowerWatch.info(client, follower).path("detailed_status").asText();
        }
        if (!wait) {
            join(call); // the follower exists once this answers: then its status can be read
        }
        String status = new FollowerWatch(client, follower, Progress.on(out))
                .await(Set.of("bootstrapping"), "bootstrapping [" + follower + "]", call);
        out.println("follower index [" + follower + "] is " + status + ": it follows [" + remoteCluster + ":"
                + leaderIndex + "]; see kccr stats " + follower);
        out.flush();
        return status;
    }

    private static JsonNode join(CompletableFuture<JsonNode> call) {
        try {
            return call.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
