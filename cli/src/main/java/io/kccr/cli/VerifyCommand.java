package io.kccr.cli;

import io.kccr.core.error.KccrException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.kccr.core.verify.DigestComparator;
import io.kccr.core.verify.Difference;
import io.kccr.core.verify.ShardReport;
import io.kccr.core.verify.Verifier;
import io.kccr.core.verify.VerifyReport;
import io.kccr.core.verify.VerifyReportJson;
import io.kccr.node.remote.HttpDigestSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kccr verify}: compares a follower index with its leader index document by document, per shard, from the
 * two nodes' digests ({@code GET /<index>/_ccr/digest/<shard>}), with the same comparator as
 * {@code POST /<follower>/_ccr/verify}.
 */
@Command(name = "verify",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Tell whether a follower index holds exactly its leader index's documents.",
        description = {
                "Compares the two indices shard by shard: ids, seq_no and a hash of each _source, up to each"
                        + " follower shard's applied seq_no (or --max-seq-no). Documents written above it are not"
                        + " compared: the follower may not have them yet.",
                "",
                "Example: kccr verify --leader http://localhost:9200 --follower http://localhost:9201 geonames"
                        + " geonames-follower"},
        footerHeading = "%n",
        footer = "Exit codes: 0 identical, 1 different, 2 error (e.g. a node unreachable, an index missing).")
final class VerifyCommand implements Callable<Integer> {
    static final int EXIT_DIFFERENT = 1;
    static final int EXIT_ERROR = 2;

    @Spec
    CommandSpec spec;

    @Option(names = "--leader", required = true, paramLabel = "<url>",
            description = "HTTP address of a node holding the leader index, e.g. http://localhost:9200.")
    String leaderUrl;

    @Option(names = "--follower", required = true, paramLabel = "<url>",
            description = "HTTP address of a node holding the follower index.")
    String followerUrl;

    @Parameters(index = "0", paramLabel = "<leader-index>", description = "The leader index.")
    String leaderIndex;

    @Parameters(index = "1", paramLabel = "<follower-index>", description = "The follower index.")
    String followerIndex;

    @Option(names = "--max-seq-no", paramLabel = "<n>",
            description = "Compare documents written at or below this seq_no in every shard (default: what each"
                    + " follower shard applied).")
    Long maxSeqNo;

    @Option(names = "--max-differences", paramLabel = "<n>", defaultValue = "10",
            description = "How many differences of each type to list per shard (default: ${DEFAULT-VALUE}); all are"
                    + " counted.")
    int maxDifferences;

    @picocli.CommandLine.Mixin
    Credentials credentials;

    @Option(names = "--json", description = "Print the report as JSON, as POST /<follower>/_ccr/verify answers it.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxDifferences < 0) {
            err.println("--max-differences must be 0 or more, got " + maxDifferences);
            err.flush();
            return Kccr.EXIT_USAGE;
        }
        HttpClient http;
        String leaderAuth;
        String followerAuth;
        try {
            javax.net.ssl.SSLContext ssl = credentials.sslContext();
            http = ssl == null ? HttpDigestSource.client() : HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).sslContext(ssl).build();
            leaderAuth = credentials.authorization(leaderUrl);
            followerAuth = credentials.authorization(followerUrl);
        } catch (RuntimeException e) {
            err.println("verify failed: " + e.getMessage());
            err.flush();
            return EXIT_ERROR;
        }
        Duration timeout = Duration.ofSeconds(30);
        VerifyReport report;
        Progress progress = Progress.on(err);
        long[] compared = {0};
        try {
            report = new Verifier(new DigestComparator(maxDifferences), Clock.systemUTC()).verify(leaderIndex,
                    new HttpDigestSource(http, leaderUrl, leaderIndex, timeout, leaderAuth), followerIndex,
                    new HttpDigestSource(http, followerUrl, followerIndex, timeout, followerAuth), maxSeqNo,
                    (shard, shards) -> {
                        compared[0] += shard.leaderDocs() + shard.followerDocs();
                        progress.update("verify", shard.shard() + 1, shards, (shard.shard() + 1) + "/" + shards
                                + " shards, " + compared[0] + " documents read");
                    });
            progress.finish(null);
        } catch (IOException | KccrException | IllegalArgumentException e) {
            err.println("verify failed: " + e.getMessage());
            err.flush();
            return EXIT_ERROR;
        }
        if (json) {
            printJson(report, out);
        } else {
            printText(report, out);
        }
        out.flush();
        return report.identical() ? 0 : EXIT_DIFFERENT;
    }

    private static void printJson(VerifyReport report, PrintWriter out) {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.useDefaultPrettyPrinter();
            VerifyReportJson.write(report, json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println();
    }

    private static void printText(VerifyReport report, PrintWriter out) {
        out.printf("%-6s %12s %12s %13s %12s %8s %8s %9s %17s%n", "shard", "checkpoint", "leader_docs",
                "follower_docs", "matched", "missing", "extra", "different", "beyond_checkpoint");
        for (ShardReport s : report.shards()) {
            out.printf("%-6d %12d %12d %13d %12d %8d %8d %9d %17d%n", s.shard(), s.checkpoint(), s.leaderDocs(),
                    s.followerDocs(), s.matched(), s.missing(), s.extra(), s.different(), s.beyondCheckpoint());
        }
        for (ShardReport s : report.shards()) {
            for (Difference d : s.firstDifferences()) {
                out.printf("shard %d: %s [%s] leader seq_no %d hash %s, follower seq_no %d hash %s%n", s.shard(),
                        d.type().jsonName(), d.id(), d.leaderSeqNo(), d.leaderHash(), d.followerSeqNo(),
                        d.followerHash());
            }
        }
        long missing = report.shards().stream().mapToLong(ShardReport::missing).sum();
        long extra = report.shards().stream().mapToLong(ShardReport::extra).sum();
        long different = report.shards().stream().mapToLong(ShardReport::different).sum();
        if (report.identical()) {
            out.printf("identical: [%s] holds the %d documents of [%s] up to the checkpoints (%d shards, %d ms)%n",
                    report.followerIndex(), report.matched(), report.leaderIndex(), report.shards().size(),
                    report.tookMillis());
        } else {
            out.printf("DIFFERENT: [%s] against [%s]: %d missing, %d extra, %d different (%d ms)%n",
                    report.followerIndex(), report.leaderIndex(), missing, extra, different, report.tookMillis());
        }
    }
}
