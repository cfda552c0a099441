package io.kccr.core.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Decodes operation records of one history as {@link OperationCodec#decode} does, without its per-record garbage:
 * numbers are parsed straight from the header bytes, the op type is matched on its bytes, and a {@code history_uuid}
 * equal to the expected one reuses the expected string instead of a new copy (a follower shard decodes millions of
 * records of one history). Records of another history decode as such, for the caller to refuse.
 *
 * <p>Stateless after construction and thread-safe.
 */
public final class OperationDecoder {
    private static final byte[] INDEX = OpType.INDEX.wireName().getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DELETE = OpType.DELETE.wireName().getBytes(StandardCharsets.US_ASCII);

    private final String historyUuid;
    private final byte[] historyUuidBytes;

    /** {@code historyUuid}: the history most records are expected to carry; null for none. */
    public OperationDecoder(String historyUuid) {
        this.historyUuid = historyUuid;
        this.historyUuidBytes = historyUuid == null ? null : historyUuid.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Decodes a record of an ops topic.
     *
     * @throws MalformedOperationException when the record is not an operation event, naming what is wrong
     */
    public Operation decode(byte[] key, byte[] value, Headers headers) {
        if (key == null) {
            throw new MalformedOperationException("record has no key; an operation's key is the document _id");
        }
        byte[] seqNo = null;
        byte[] primaryTerm = null;
        byte[] op = null;
        byte[] version = null;
        byte[] mappingVersion = null;
        byte[] history = null;
        for (Header h : headers) { // lastHeader semantics: a later header of the same name wins
            switch (h.key()) {
                case OperationCodec.SEQ_NO -> seqNo = h.value();
                case OperationCodec.PRIMARY_TERM -> primaryTerm = h.value();
                case OperationCodec.OP -> op = h.value();
                case OperationCodec.VERSION -> version = h.value();
                case OperationCodec.MAPPING_VERSION -> mappingVersion = h.value();
                case OperationCodec.HISTORY_UUID -> history = h.value();
                default -> {
                    // other headers are not ours: ignored, as any Kafka tool's would be
                }
            }
        }
        OpType type = opType(op);
        if (type == OpType.INDEX && value == null) {
            throw new MalformedOperationException("an index operation has no value; it must carry the _source");
        }
        if (type == OpType.DELETE && value != null) {
            throw new MalformedOperationException("a delete operation carries a value; a delete is a tombstone");
        }
        return new Operation(new String(key, StandardCharsets.UTF_8), value, number(seqNo, OperationCodec.SEQ_NO),
                number(primaryTerm, OperationCodec.PRIMARY_TERM), type, number(version, OperationCodec.VERSION),
                number(mappingVersion, OperationCodec.MAPPING_VERSION), history(history));
    }

    private static OpType opType(byte[] op) {
        if (op == null) {
            throw new MalformedOperationException("header [" + OperationCodec.OP + "] is missing");
        }
        if (Arrays.equals(op, INDEX)) {
            return OpType.INDEX;
        }
        if (Arrays.equals(op, DELETE)) {
            return OpType.DELETE;
        }
        try {
            return OpType.fromWire(new String(op, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new MalformedOperationException(e.getMessage());
        }
    }

    private String history(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedOperationException("header [" + OperationCodec.HISTORY_UUID + "] is missing");
        }
        if (historyUuidBytes != null && Arrays.equals(bytes, historyUuidBytes)) {
            return historyUuid;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** A decimal long in ASCII, as {@link Long#parseLong} reads it, straight from the bytes. */
    private static long number(byte[] bytes, String name) {
        if (bytes == null) {
            throw new MalformedOperationException("header [" + name + "] is missing");
        }
        int n = bytes.length;
        int i = 0;
        boolean negative = false;
        if (n > 0 && (bytes[0] == '-' || bytes[0] == '+')) {
            negative = bytes[0] == '-';
            i = 1;
        }
        if (i == n || n - i > 19) {
            return parseSlow(bytes, name);
        }
        long value = 0;
        for (; i < n; i++) {
            int d = bytes[i] - '0';
            if (d < 0 || d > 9) {
                return parseSlow(bytes, name);
            }
            value = value * 10 + d;
            if (value < 0) {
                return parseSlow(bytes, name); // overflow: let parseLong decide (Long.MIN_VALUE, or too big)
            }
        }
        return negative ? -value : value;
    }

    private static long parseSlow(byte[] bytes, String name) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedOperationException("header [" + name + "] is not a number: [" + text + "]");
        }
    }
}
