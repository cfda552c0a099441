package io.kccr.node.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.verify.DigestNdjson;
import io.kccr.core.verify.DigestStream;
import io.kccr.core.verify.VerifyReportJson;
import io.kccr.node.verify.FollowerVerification;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;

/**
 * Verification of a follower against its leader ({@link FollowerVerification}). Client IO only.
 *
 * <ul>
 *   <li>{@code GET /<index>/_ccr/digest/<shard>[?max_seq_no=N]}: the shard's digest, streamed as NDJSON
 *       ({@link DigestNdjson}); any index, leader or follower.</li>
 *   <li>{@code POST /<follower>/_ccr/verify} with an optional body {@code {"max_seq_no": N, "max_differences": 10}}:
 *       200 with the report ({@link VerifyReportJson}), {@code identical} true or false.</li>
 * </ul>
 */
final class VerifyController {
    /** How many differences of each type a report lists when the request does not say. */
    static final int DEFAULT_MAX_DIFFERENCES = 10;
    private static final List<String> VERIFY_KEYS = List.of("max_seq_no", "max_differences");

    private final FollowerVerification verification;

    VerifyController(FollowerVerification verification) {
        this.verification = verification;
    }

    /** {@code GET /<index>/_ccr/digest/<shard>}. */
    void digest(Context ctx) throws IOException {
        int shard = RestoreController.shard(ctx.pathParam("shard"));
        Long maxSeqNo = RequestParams.longParam(ctx, "max_seq_no");
        try (DigestStream digest = verification.digest(ctx.pathParam("index"), shard, maxSeqNo)) {
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
        JsonNode body = Json.parseObject(ctx.bodyAsBytes());
        body.fieldNames().forEachRemaining(key -> {
            if (!VERIFY_KEYS.contains(key)) {
                throw InvalidRequestException.parsing("[verify_request] unknown field [" + key + "]; known: "
                        + VERIFY_KEYS);
            }
        });
        Long maxSeqNo = body.hasNonNull("max_seq_no") ? number(body.get("max_seq_no"), "max_seq_no", -1) : null;
        int maxDifferences = body.hasNonNull("max_differences")
                ? (int) number(body.get("max_differences"), "max_differences", 0) : DEFAULT_MAX_DIFFERENCES;
        Responses.json(ctx, 200, VerifyReportJson.of(verification.verify(ctx.pathParam("index"), maxSeqNo,
                maxDifferences)));
    }

    private static long number(JsonNode value, String field, long min) {
        if (!value.canConvertToExactIntegral() || value.asLong() < min
                || field.equals("max_differences") && value.asLong() > Integer.MAX_VALUE) {
            throw InvalidRequestException.illegalArgument("[" + field + "] must be a whole number >= " + min
                    + ", got " + value);
        }
        return value.asLong();
    }
}
