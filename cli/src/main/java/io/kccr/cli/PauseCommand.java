package io.kccr.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kccr pause}: {@code POST /<follower>/_ccr/pause_follow}. */
@Command(name = "pause",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        headerHeading = "",
        header = "Pause a follower index: it stops applying the leader's operations, and stays searchable.",
        description = {
                "Calls POST /<follower>/_ccr/pause_follow. The follower keeps its Kafka offsets: kccr resume"
                        + " continues from there, and the lag shows what it missed meanwhile.",
                "",
                "Examples:",
                "  kccr pause geonames-follower",
                "  kccr pause --url http://10.0.0.7:9200 logs-copy"},
        footerHeading = "%n",
        footer = "Exit codes: 0 paused, 1 error answer (e.g. not a follower, already paused), 2 node unreachable.")
final class PauseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Parameters(index = "0", paramLabel = "<follower>", description = "The follower index to pause.")
    String follower;

    @Override
    public Integer call() {
        node.client().post("/" + follower + "/_ccr/pause_follow", null);
        PrintWriter out = spec.commandLine().getOut();
        out.println("follower index [" + follower + "] paused; kccr resume " + follower + " continues it");
        out.flush();
        return 0;
    }
}
