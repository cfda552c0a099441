package io.kccr.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kccr resume}: {@code POST /<follower>/_ccr/resume_follow}. */
@Command(name = "resume",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        headerHeading = "",
        header = "Resume a paused follower index: it applies what the leader wrote meanwhile, then follows again.",
        description = {
                "Calls POST /<follower>/_ccr/resume_follow with the follower's current tuning parameters.",
                "",
                "Examples:",
                "  kccr resume geonames-follower",
                "  kccr resume --url http://10.0.0.7:9200 logs-copy"},
        footerHeading = "%n",
        footer = "Exit codes: 0 resumed, 1 error answer (e.g. not a follower, not paused), 2 node unreachable.")
final class ResumeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    @Parameters(index = "0", paramLabel = "<follower>", description = "The follower index to resume.")
    String follower;

    @Override
    public Integer call() {
        node.client().post("/" + follower + "/_ccr/resume_follow", NodeClient.object());
        PrintWriter out = spec.commandLine().getOut();
        out.println("follower index [" + follower + "] resumed; kccr lag shows it catch up");
        out.flush();
        return 0;
    }
}
