package io.kccr.core.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.util.List;

/**
 * A {@link VerifyReport} as JSON, the answer of {@code POST /<follower>/_ccr/verify} and of
 * {@code kccr verify --json}: records whose components, in order and in snake_case, are the fields.
 *
 * <pre>
 * {"leader_index":..,"follower_index":..,"identical":true,"took":12,
 *  "shards":[{"shard":0,"identical":true,"checkpoint":..,"leader_max_seq_no":..,"follower_max_seq_no":..,
 *             "leader_docs":..,"follower_docs":..,"matched":..,"missing":0,"extra":0,"different":0,
 *             "beyond_checkpoint":0,"first_differences":[{"type":"missing","_id":..,"leader_seq_no":..,
 *             "follower_seq_no":-1,"leader_hash":..}]}]}
 * </pre>
 */
public final class VerifyReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private VerifyReportJson() {
    }

    /** The whole report; {@code took} is in milliseconds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Report(String leaderIndex, String followerIndex, boolean identical, long took, List<Shard> shards) {
    }

    /** One shard's comparison ({@link ShardReport}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Shard(int shard, boolean identical, long checkpoint, long leaderMaxSeqNo, long followerMaxSeqNo,
                        long leaderDocs, long followerDocs, long matched, long missing, long extra, long different,
                        long beyondCheckpoint, List<Diff> firstDifferences) {
    }

    /** One difference ({@link Difference}); a hash is left out for the side that lacks the document. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Diff(String type, @JsonProperty("_id") String id, long leaderSeqNo, long followerSeqNo,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String leaderHash,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String followerHash) {
    }

    /** {@code report} in its JSON shape. */
    public static Report of(VerifyReport report) {
        return new Report(report.leaderIndex(), report.followerIndex(), report.identical(), report.tookMillis(),
                report.shards().stream().map(VerifyReportJson::shard).toList());
    }

    /** Writes {@code report} to {@code json}, which stays open. */
    public static void write(VerifyReport report, JsonGenerator json) throws IOException {
        MAPPER.writeValue(json, of(report));
    }

    private static Shard shard(ShardReport s) {
        return new Shard(s.shard(), s.identical(), s.checkpoint(), s.leaderMaxSeqNo(), s.followerMaxSeqNo(),
                s.leaderDocs(), s.followerDocs(), s.matched(), s.missing(), s.extra(), s.different(),
                s.beyondCheckpoint(), s.firstDifferences().stream().map(d -> new Diff(d.type().jsonName(), d.id(),
                        d.leaderSeqNo(), d.followerSeqNo(), d.leaderHash(), d.followerHash())).toList());
    }
}
