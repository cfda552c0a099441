package io.kccr.node.rest;

import io.kccr.core.error.InvalidRequestException;
import io.javalin.http.Context;
import io.kccr.node.indices.IndicesOptions;
import io.kccr.leader.WriteCondition;

/** URL parameters shared by the document APIs, parsed with Elasticsearch's errors. */
final class RequestParams {
    private RequestParams() {
    }

    /** {@code refresh}: "" or "true" forces a refresh, "wait_for" waits for one, "false" or absent does neither. */
    enum Refresh {
        NONE, IMMEDIATE, WAIT_FOR;

        static Refresh of(Context ctx) {
            String value = ctx.queryParam("refresh");
            if (value == null || value.equals("false")) {
                return NONE;
            }
            return switch (value) {
                case "", "true" -> IMMEDIATE;
                case "wait_for" -> WAIT_FOR;
                default -> throw InvalidRequestException.illegalArgument("Unknown value for refresh: [" + value
                        + "]; use true, false or wait_for");
            };
        }
    }

    /**
     * {@code defaults} with the request's {@code ignore_unavailable}, {@code allow_no_indices} and
     * {@code expand_wildcards}.
     */
    static IndicesOptions indicesOptions(Context ctx, IndicesOptions defaults) {
        return defaults.with(ctx.queryParam("ignore_unavailable"), ctx.queryParam("allow_no_indices"),
                ctx.queryParam("expand_wildcards"));
    }

    static Long longParam(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw InvalidRequestException.illegalArgument("Failed to parse [" + name + "] value [" + value + "] as a number");
        }
    }

    /** {@code op_type}, {@code if_seq_no} and {@code if_primary_term} as a write condition. */
    static WriteCondition condition(Context ctx, boolean createOnly) {
        String opType = ctx.queryParam("op_type");
        if (opType != null && !opType.equals("index") && !opType.equals("create")) {
            throw InvalidRequestException.illegalArgument("opType must be 'create' or 'index', found: [" + opType + "]");
        }
        Long ifSeqNo = longParam(ctx, "if_seq_no");
        Long ifPrimaryTerm = longParam(ctx, "if_primary_term");
        return condition(createOnly || "create".equals(opType), ifSeqNo, ifPrimaryTerm);
    }

    static WriteCondition condition(boolean create, Long ifSeqNo, Long ifPrimaryTerm) {
        if ((ifSeqNo == null) != (ifPrimaryTerm == null)) {
            throw InvalidRequestException.illegalArgument("ifSeqNo is set, but primary term is [0]; set both if_seq_no and"
                    + " if_primary_term, or neither");
        }
        if (create && ifSeqNo != null) {
            throw InvalidRequestException.illegalArgument("create operations do not support compare and set. use index instead");
        }
        return new WriteCondition(create, ifSeqNo, ifPrimaryTerm);
    }
}
