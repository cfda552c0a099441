package io.kccr.core.wire;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
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
        RecordHeaders headers = new RecordHeaders();
        headers.add(SEQ_NO, ascii(Long.toString(op.seqNo())));
        headers.add(PRIMARY_TERM, ascii(Long.toString(op.primaryTerm())));
        headers.add(OP, ascii(op.op().wireName()));
        headers.add(VERSION, ascii(Long.toString(op.version())));
        headers.add(MAPPING_VERSION, ascii(Long.toString(op.mappingVersion())));
        headers.add(HISTORY_UUID, op.historyUuid().getBytes(StandardCharsets.UTF_8));
        return headers;
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
