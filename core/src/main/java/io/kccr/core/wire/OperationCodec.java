package io.kccr.core.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The ops topic's record layout, which any Kafka tool can read: key = {@code _id} (UTF-8), value =
 * {@code _source} JSON bytes or null for a delete (a tombstone, so a compacted topic keeps exactly
 * the live documents), headers {@code seq_no}, {@code primary_term}, {@code op}, {@code version},
 * {@code mapping_version}, {@code history_uuid} as UTF-8 decimal strings and text.
 * Stateless and thread-safe.
 */
public final class OperationCodec {
    public static final String SEQ_NO = "seq_no";
    public static final String PRIMARY_TERM = "primary_term";
    public static final String OP = "op";
    public static final String VERSION = "version";
    public static final String MAPPING_VERSION = "mapping_version";
    public static final String HISTORY_UUID = "history_uuid";

    private static final OperationDecoder ANY_HISTORY = new OperationDecoder(null);

    private OperationCodec() {
    }

    /** The record for {@code op} on {@code topic}'s partition {@code shard}; timestamp left to the producer. */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, int shard, Operation op) {
        return toRecord(topic, shard, op, null);
    }

    /** As {@link #toRecord(String, int, Operation)}, with the record's timestamp (null: the producer's send time). */
    public static ProducerRecord<byte[], byte[]> toRecord(String topic, int shard, Operation op, Long timestamp) {
        return new ProducerRecord<>(topic, shard, timestamp, op.id().getBytes(StandardCharsets.UTF_8), op.source(),
                headers(op));
    }

    public static Headers headers(Operation op) {
        Header[] headers = {
            new RecordHeader(SEQ_NO, decimal(op.seqNo())),
            new RecordHeader(PRIMARY_TERM, decimal(op.primaryTerm())),
            new RecordHeader(OP, op.op() == OpType.DELETE ? DELETE_BYTES : INDEX_BYTES),
            new RecordHeader(VERSION, decimal(op.version())),
            new RecordHeader(MAPPING_VERSION, decimal(op.mappingVersion())),
            new RecordHeader(HISTORY_UUID, utf8(op.historyUuid()))
        };
        return new RecordHeaders(headers);
    }

    /**
     * {@code value} as ASCII decimal digits, as {@code Long.toString(value)} spells it, without the string: a
     * leader encodes four of these per operation.
     */
    static byte[] decimal(long value) {
        if (value >= 0 && value < 10) {
            return DIGITS[(int) value]; // shared: header values are only read
        }
        if (value == Long.MIN_VALUE) {
            return ascii(Long.toString(value));
        }
        boolean negative = value < 0;
        long v = negative ? -value : value;
        int length = negative ? 2 : 1;
        for (long rest = v / 10; rest > 0; rest /= 10) {
            length++;
        }
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= (negative ? 1 : 0); i--) {
            bytes[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        if (negative) {
            bytes[0] = '-';
        }
        return bytes;
    }

    /**
     * The UTF-8 bytes of a history uuid; a shard publishes one history, so the bytes of the last one asked for are
     * kept and shared (header values are only read).
     */
    private static byte[] utf8(String historyUuid) {
        Encoded last = lastHistoryUuid;
        if (last != null && last.text().equals(historyUuid)) {
            return last.bytes();
        }
        byte[] bytes = historyUuid.getBytes(StandardCharsets.UTF_8);
        lastHistoryUuid = new Encoded(historyUuid, bytes);
        return bytes;
    }

    /** A string and its bytes; immutable, so it is safely shared between threads. */
    private record Encoded(String text, byte[] bytes) {
    }

    private static volatile Encoded lastHistoryUuid;
    private static final byte[][] DIGITS = new byte[10][];
    private static final byte[] INDEX_BYTES = ascii(OpType.INDEX.wireName());
    private static final byte[] DELETE_BYTES = ascii(OpType.DELETE.wireName());

    static {
        for (int d = 0; d < 10; d++) {
            DIGITS[d] = new byte[] {(byte) ('0' + d)};
        }
    }

    /**
     * Decodes a record of an ops topic.
     *
     * @throws MalformedOperationException when the record is not an operation event (missing or
     *     bad header, no key, a value on a delete), naming what is wrong
     */
    public static Operation fromRecord(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.key(), record.value(), record.headers());
    }

    public static Operation decode(byte[] key, byte[] value, Headers headers) {
        return ANY_HISTORY.decode(key, value, headers);
    }

    /** The {@code seq_no} header of a record, without decoding the rest; -1 if it has none or not a number. */
    public static long peekSeqNo(Headers headers) {
        Header h = headers.lastHeader(SEQ_NO);
        if (h == null || h.value() == null) {
            return -1;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
