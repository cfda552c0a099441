package io.kccr.core.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * A {@link VerifyReport} as JSON, the answer of {@code POST /<follower>/_ccr/verify} and of
 * {@code kccr verify --json}:
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
    private VerifyReportJson() {
    }

    public static void write(VerifyReport report, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("leader_index", report.leaderIndex());
        json.writeStringField("follower_index", report.followerIndex());
        json.writeBooleanField("identical", report.identical());
        json.writeNumberField("took", report.tookMillis());
        json.writeArrayFieldStart("shards");
        for (ShardReport s : report.shards()) {
            json.writeStartObject();
            json.writeNumberField("shard", s.shard());
            json.writeBooleanField("identical", s.identical());
            json.writeNumberField("checkpoint", s.checkpoint());
            json.writeNumberField("leader_max_seq_no", s.leaderMaxSeqNo());
            json.writeNumberField("follower_max_seq_no", s.followerMaxSeqNo());
            json.writeNumberField("leader_docs", s.leaderDocs());
            json.writeNumberField("follower_docs", s.followerDocs());
            json.writeNumberField("matched", s.matched());
            json.writeNumberField("missing", s.missing());
            json.writeNumberField("extra", s.extra());
            json.writeNumberField("different", s.different());
            json.writeNumberField("beyond_checkpoint", s.beyondCheckpoint());
            json.writeArrayFieldStart("first_differences");
            for (Difference d : s.firstDifferences()) {
                json.writeStartObject();
                json.writeStringField("type", d.type().jsonName());
                json.writeStringField("_id", d.id());
                json.writeNumberField("leader_seq_no", d.leaderSeqNo());
                json.writeNumberField("follower_seq_no", d.followerSeqNo());
                if (d.leaderHash() != null) {
                    json.writeStringField("leader_hash", d.leaderHash());
                }
                if (d.followerHash() != null) {
                    json.writeStringField("follower_hash", d.followerHash());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
