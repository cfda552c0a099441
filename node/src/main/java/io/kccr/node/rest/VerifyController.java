package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.error.FailedException;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.node.indices.IndexResolver;
import io.kccr.node.follow.FollowerCatalog;
import io.kccr.core.shard.SearchableIndex;
import io.kccr.core.verify.DigestComparator;
import io.kccr.core.verify.DigestNdjson;
import io.kccr.core.verify.DigestStream;
import io.kccr.core.verify.Verifier;
import io.kccr.core.verify.VerifyReport;
import io.kccr.core.verify.VerifyReportJson;
import io.kccr.follower.FollowerIndex;
import io.kccr.node.remote.RemoteClusters;
import io.kccr.node.remote.ResolvedRemote;
import io.kccr.node.remote.HttpDigestSource;
import io.kccr.core.verify.IndexDigestSource;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * Verification of a follower against its leader, document by document ({@code io.kccr.core.verify}). Client IO
 * only.
 *
 * <ul>
 *   <li>{@code GET /<index>/_ccr/digest/<shard>[?max_seq_no=N]}: the shard's digest, streamed as NDJSON
 *       ({@link DigestNdjson}); any index, leader or follower.</li>
 *   <li>{@code POST /<follower>/_ccr/verify} with an optional body {@code {"max_seq_no": N, "max_differences": 10}}:
 *       compares the follower's shards, read here, with the leader's digests, read from the remote cluster's HTTP
 *       address; 200 with the report ({@link VerifyReportJson}), {@code identical} true or false.</li>
 * </ul>
 */
final class VerifyController {
    /** How many differences of each type a report lists when the request does not say. */
    static final int DEFAULT_MAX_DIFFERENCES = 10;
    private static final Set<String> VERIFY_KEYS = Set.of("max_seq_no", "max_differences");
    private static final Duration LEADER_TIMEOUT = IndexDigestSource.CHECKPOINT_WAIT.plusSeconds(20);

    private final IndexResolver indices;
    private final FollowerCatalog followers;
    private final RemoteClusters remotes;
    private final Clock clock;
    private final HttpClient http = HttpDigestSource.client();

    VerifyController(IndexResolver indices, FollowerCatalog followers, RemoteClusters remotes, Clock clock) {
        this.indices = indices;
        this.followers = followers;
        this.remotes = remotes;
        this.clock = clock;
    }

    /** {@code GET /<index>/_ccr/digest/<shard>}. */
    void digest(Context ctx) throws IOException {
        SearchableIndex index = indices.read(ctx.pathParam("index"));
        int shard = RestoreController.shard(ctx.pathParam("shard"));
        Long maxSeqNo = RequestParams.longParam(ctx, "max_seq_no");
        try (DigestStream digest = new IndexDigestSource(index, clock).open(shard, maxSeqNo)) {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setContentType("application/x-ndjson");
            try (JsonGenerator json = Json.MAPPER.createGenerator(res.getOutputStream())) {
                DigestNdjson.write(digest, json);
            } catch (IOException cutOff) {
                // the client went away or the shard could not be read: the missing end line tells the client
            }
        }
    }

    /** {@code POST /<follower>/_ccr/verify}. */
    void verify(Context ctx) {
        String name = ctx.pathParam("index");
        SearchableIndex index = indices.read(name);
        FollowerIndex follower = followers.getOrNull(name);
        if (follower == null) {
            throw InvalidRequestException.illegalArgument("index [" + name + "] is not a follower index: it has no leader to"
                    + " verify against; to compare any two indices run kccr verify --leader <url> --follower <url>"
                    + " <leader-index> <follower-index>");
        }
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        body.fieldNames().forEachRemaining(key -> {
            if (!VERIFY_KEYS.contains(key)) {
                throw InvalidRequestException.parsing("[verify_request] unknown field [" + key + "]; known: " + VERIFY_KEYS);
            }
        });
        Long maxSeqNo = body.hasNonNull("max_seq_no") ? number(body.get("max_seq_no"), "max_seq_no", -1) : null;
        int maxDifferences = body.hasNonNull("max_differences")
                ? (int) number(body.get("max_differences"), "max_differences", 0) : DEFAULT_MAX_DIFFERENCES;
        String remoteCluster = follower.definition().remoteCluster();
        String leaderIndex = follower.definition().leaderIndex();
        ResolvedRemote remote = remotes.resolve(remoteCluster);
        if (remote.httpAddress() == null) {
            throw InvalidRequestException.illegalArgument("remote cluster [" + remoteCluster + "] has no HTTP address to read the"
                    + " leader's digests from; set cluster.remote." + remoteCluster + ".seeds or cluster.remote."
                    + remoteCluster + ".http");
        }
        HttpDigestSource leader = new HttpDigestSource(http, remote.httpAddress(), leaderIndex, LEADER_TIMEOUT);
        VerifyReport report;
        try {
            report = new Verifier(new DigestComparator(maxDifferences), clock).verify(leaderIndex, leader, name,
                    new IndexDigestSource(index, clock), maxSeqNo);
        } catch (IOException e) {
            throw new FailedException("could not compare [" + name + "] with leader index ["
                    + leaderIndex + "] of remote cluster [" + remoteCluster + "]: " + e.getMessage()
                    + "; check that the leader is reachable (GET /_remote/info) and retry", e);
        }
        Responses.json(ctx, 200, json -> VerifyReportJson.write(report, json));
    }

    private static long number(JsonNode value, String field, long min) {
        if (!value.canConvertToExactIntegral() || value.asLong() < min
                || field.equals("max_differences") && value.asLong() > Integer.MAX_VALUE) {
            throw InvalidRequestException.illegalArgument("[" + field + "] must be a whole number >= " + min + ", got " + value);
        }
        return value.asLong();
    }
}
