package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kccr unfollow}: {@code POST /<follower>/_ccr/unfollow}, which (as in Elasticsearch) needs the follower
 * paused and closed; {@code --close} runs the whole runbook: pause, close, unfollow, open.
 */
@Command(name = "unfollow",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Turn a follower index into a plain index of this cluster (the failover path).",
        description = {
                "Calls POST /<follower>/_ccr/unfollow. As in Elasticsearch, the follower must be paused"
                        + " (kccr pause) and closed (POST /<follower>/_close) first; the index is then left closed"
                        + " until you open it (POST /<follower>/_open).",
                "With --close the command runs that whole runbook itself: pause_follow (unless already paused),"
                        + " _close, unfollow, then _open, so the index ends up open and writable. Searches fail"
                        + " while it is closed.",
                "Afterwards the index is a leader index of this cluster: it takes writes, publishes them to its own"
                        + " topic, and can be followed in turn.",
                "",
                "Examples:",
                "  kccr unfollow --close geonames-follower",
                "  kccr pause geonames-follower && curl -XPOST localhost:9201/geonames-follower/_close"
                        + " && kccr unfollow geonames-follower"},
        footerHeading = "%n",
        footer = "Exit codes: 0 done, 1 error answer (e.g. not paused or not closed), 2 node unreachable.")
final class UnfollowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Option(names = "--close",
            description = "Pause (unless paused) and close the follower first, and open it again afterwards.")
    boolean close;

    @Parameters(index = "0", paramLabel = "<follower>", description = "The follower index to convert.")
    String follower;

    @Override
    public Integer call() {
        NodeClient client = node.client();
        PrintWriter out = spec.commandLine().getOut();
        if (close) {
            JsonNode info = FollowerWatch.info(client, follower);
            if (!info.path("detailed_status").asText().equals("paused")) {
                client.post("/" + follower + "/_ccr/pause_follow", null);
                out.println("paused [" + follower + "]");
            }
            client.post("/" + follower + "/_close", null);
            out.println("closed [" + follower + "]");
            out.flush();
        }
        client.post("/" + follower + "/_ccr/unfollow", null);
        out.println("[" + follower + "] is no longer a follower index");
        if (close) {
            client.post("/" + follower + "/_open", null);
            out.println("opened [" + follower + "]: a plain index of this cluster, which takes writes");
        } else {
            out.println("it is closed: POST /" + follower + "/_open to search and write it");
        }
        out.flush();
        return 0;
    }
}
