package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.follower.replay.AsOf;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads the body of {@code POST /<follower>/_ccr/rebuild}: empty (the whole log), or
 * {@code {"as_of": {"timestamp": "2026-11-30T15:00:00Z"}}} (also epoch millis),
 * {@code {"as_of": {"seq_no": 1234}}} (every shard) or {@code {"as_of": {"seq_no": {"0": 12, "1": 40}}}}
 * (per shard). Anything else is a 400 that shows the accepted forms.
 */
public final class RebuildRequests {
    private static final String FORMS = "; send {} to rebuild from the whole log, or {\"as_of\": {\"timestamp\":"
            + " \"2026-11-30T15:00:00Z\"}}, {\"as_of\": {\"seq_no\": 1234}} or {\"as_of\": {\"seq_no\": {\"0\": 12,"
            + " \"1\": 40}}}";

    private RebuildRequests() {
    }

    /** The cut {@code body} asks for, checked against the follower's {@code shards}. */
    public static AsOf asOf(JsonNode body, int shards) {
        if (body == null || body.isNull() || body.isMissingNode() || body.isEmpty()) {
            return AsOf.none();
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals("as_of")) {
                throw InvalidRequestException.illegalArgument("[rebuild] unknown field [" + field + "]" + FORMS);
            }
        }
        JsonNode asOf = body.get("as_of");
        if (!asOf.isObject() || asOf.size() != 1 || !(asOf.has("timestamp") || asOf.has("seq_no"))) {
            throw InvalidRequestException.illegalArgument("[as_of] must name exactly one of [timestamp] or [seq_no], got ["
                    + asOf + "]" + FORMS);
        }
        if (asOf.has("timestamp")) {
            return new AsOf(timestamp(asOf.get("timestamp")), null, Map.of());
        }
        JsonNode seqNo = asOf.get("seq_no");
        if (seqNo.isObject()) {
            if (seqNo.isEmpty()) {
                throw InvalidRequestException.illegalArgument("[as_of.seq_no] names no shard" + FORMS);
            }
            Map<Integer, Long> perShard = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = seqNo.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                int shard;
                try {
                    shard = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    shard = -1;
                }
                if (shard < 0 || shard >= shards) {
                    throw InvalidRequestException.illegalArgument("[as_of.seq_no] names shard [" + e.getKey() + "], but the"
                            + " follower has shards 0 to " + (shards - 1) + FORMS);
                }
                perShard.put(shard, seqNo(e.getValue(), "as_of.seq_no." + e.getKey()));
            }
            return new AsOf(null, null, perShard);
        }
        return new AsOf(null, seqNo(seqNo, "as_of.seq_no"), Map.of());
    }

    private static long seqNo(JsonNode v, String name) {
        if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0) {
            throw InvalidRequestException.illegalArgument("[" + name + "] must be a seq_no (a whole number, 0 or more), got ["
                    + v + "]" + FORMS);
        }
        return v.asLong();
    }

    private static long timestamp(JsonNode v) {
        String text = v.asText();
        long millis;
        try {
            if (v.isIntegralNumber() || text.matches("\\d+")) {
                millis = v.isIntegralNumber() && v.canConvertToLong() ? v.asLong() : Long.parseLong(text);
            } else {
                millis = parseTime(text);
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw InvalidRequestException.illegalArgument("[as_of.timestamp] must be an ISO-8601 time with a zone, e.g."
                    + " [2026-11-30T15:00:00Z], or epoch milliseconds, got [" + text + "]" + FORMS);
        }
        if (millis < 0 || millis == Long.MAX_VALUE) {
            throw InvalidRequestException.illegalArgument("[as_of.timestamp] must be a time after 1970, got [" + text + "]" + FORMS);
        }
        return millis;
    }

    private static long parseTime(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
    }
}
