package io.kccr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kccr rebuild}: {@code POST /<follower>/_ccr/rebuild}, then its progress until it is done. */
@Command(name = "rebuild",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Rebuild a follower index from the leader's log, now or as of a point in its history.",
        description = {
                "Calls POST /<follower>/_ccr/rebuild, then shows its progress (GET /<follower>/_recovery: files"
                        + " copied, then operations replayed) while the follower's status is rebuilding.",
                "Without --as-of* the follower is rebuilt to the leader's present and follows on (status active);"
                        + " with --as-of-seq-no or --as-of it is rebuilt to the leader's state at that point and"
                        + " left paused there (resume with kccr resume).",
                "",
                "Examples:",
                "  kccr rebuild geonames-follower",
                "  kccr rebuild --as-of-seq-no 120000 geonames-follower",
                "  kccr rebuild --as-of 2024-05-01T12:00:00Z geonames-follower",
                "  kccr rebuild --as-of 1714564800000 geonames-follower"},
        footerHeading = "%n",
        footer = "Exit codes: 0 done, 1 error answer (e.g. not a follower) or failed follower, 2 node unreachable or"
                + " bad usage.")
final class RebuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    NodeUrl node;

    /** The point in the leader's history; at most one of the two. */
    static final class AsOf {
        @Option(names = "--as-of-seq-no", paramLabel = "<seq_no>",
                description = "Rebuild to the leader's state after the operation with this sequence number.")
        Long seqNo;

        @Option(names = "--as-of", paramLabel = "<time>",
                description = "Rebuild to the leader's state at this time: ISO-8601 (2024-05-01T12:00:00Z) or epoch"
                        + " milliseconds.")
        String timestamp;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    AsOf asOf;

    @Option(names = "--no-progress", description = "Return once the rebuild has started.")
    boolean noProgress;

    @Parameters(index = "0", paramLabel = "<follower>", description = "The follower index to rebuild.")
    String follower;

    @Override
    public Integer call() throws Exception {
        ObjectNode body;
        try {
            body = body(asOf == null ? null : asOf.seqNo, asOf == null ? null : asOf.timestamp);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        NodeClient client = node.client();
        PrintWriter out = spec.commandLine().getOut();
        String path = "/" + follower + "/_ccr/rebuild";
        out.println("POST " + client.url() + path + " " + body);
        out.flush();
        client.post(path, body);
        if (noProgress) {
            out.println("rebuild of [" + follower + "] started; kccr stats " + follower + " shows when it is done");
            out.flush();
            return 0;
        }
        String status = new FollowerWatch(client, follower, Progress.on(out))
                .await(Set.of("rebuilding"), "rebuilding [" + follower + "]", null);
        out.println("rebuild of [" + follower + "] done: it is " + status
                + (status.equals("paused") ? " at the point asked for; kccr resume " + follower + " follows on" : ""));
        out.flush();
        return 0;
    }

    /**
     * The rebuild request's body: {@code {}}, {@code {"as_of":{"seq_no":N}}} or
     * {@code {"as_of":{"timestamp":"<ISO-8601 instant>"}}} (epoch milliseconds and offsets are turned into an
     * instant in UTC). A negative sequence number or a time that does not parse is an IllegalArgumentException.
     */
    static ObjectNode body(Long seqNo, String timestamp) {
        ObjectNode body = NodeClient.object();
        if (seqNo != null) {
            if (seqNo < 0) {
                throw new IllegalArgumentException("--as-of-seq-no must be 0 or more, got [" + seqNo + "]");
            }
            body.putObject("as_of").put("seq_no", seqNo);
        } else if (timestamp != null) {
            body.putObject("as_of").put("timestamp", instant(timestamp).toString());
        }
        return body;
    }

    static Instant instant(String text) {
        String t = text.trim();
        if (t.matches("\\d+")) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--as-of: failed to parse [" + text + "]: give an ISO-8601 time with"
                    + " an offset (2024-05-01T12:00:00Z) or epoch milliseconds (1714564800000)");
        }
    }
}
