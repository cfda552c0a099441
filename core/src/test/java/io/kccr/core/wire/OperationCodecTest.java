package io.kccr.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class OperationCodecTest {

    private static ConsumerRecord<byte[], byte[]> consumed(ProducerRecord<byte[], byte[]> sent) {
        return new ConsumerRecord<>(sent.topic(), sent.partition(), 42L, 0L, TimestampType.CREATE_TIME, -1, -1,
                sent.key(), sent.value(), sent.headers(), Optional.empty());
    }

    @Test
    void indexOperationRoundTrips() {
        Operation op = Operation.index("doc-1", "{\"name\":\"Vila\"}".getBytes(StandardCharsets.UTF_8), 17, 2, 3, 5,
                "hist-uuid");
        ProducerRecord<byte[], byte[]> record = OperationCodec.toRecord("ccr.geonames.ops", 1, op);

        assertThat(record.partition()).isEqualTo(1);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("doc-1");
        assertThat(record.value()).isEqualTo(op.source());
        assertThat(new String(record.headers().lastHeader("seq_no").value(), StandardCharsets.UTF_8)).isEqualTo("17");
        assertThat(new String(record.headers().lastHeader("op").value(), StandardCharsets.UTF_8)).isEqualTo("index");
        assertThat(OperationCodec.fromRecord(consumed(record))).isEqualTo(op);
    }

    @Test
    void numbersAreWrittenAsLongToStringSpellsThem() {
        long[] values = {0, 1, 9, 10, 11, 99, 100, 12_345, 1_000_000_007L, Long.MAX_VALUE, -1, -9, -10, -12_345,
                Long.MIN_VALUE + 1, Long.MIN_VALUE};
        for (long v : values) {
            assertThat(new String(OperationCodec.decimal(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
        for (long v = -1_000; v <= 100_000; v += 7) {
            assertThat(new String(OperationCodec.decimal(v), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }

    @Test
    void everyHeaderOfTheWireFormatIsThereInItsOrder() {
        Operation op = Operation.index("doc-1", "{}".getBytes(StandardCharsets.UTF_8), 1_234, 7, 3, 12, "hist-uuid");
        Operation other = Operation.delete("doc-2", 1_235, 7, 4, 12, "other-uuid");

        assertThat(OperationCodec.toRecord("t", 0, op).headers().toArray()).extracting(h -> h.key() + "="
                + new String(h.value(), StandardCharsets.UTF_8)).containsExactly("seq_no=1234", "primary_term=7",
                "op=index", "version=3", "mapping_version=12", "history_uuid=hist-uuid");
        assertThat(OperationCodec.fromRecord(consumed(OperationCodec.toRecord("t", 0, other)))).isEqualTo(other);
        assertThat(OperationCodec.fromRecord(consumed(OperationCodec.toRecord("t", 0, op)))).isEqualTo(op);
    }

    @Test
    void deleteIsATombstoneAndRoundTrips() {
        Operation op = Operation.delete("doc-2", 18, 2, 4, 5, "hist-uuid");
        ProducerRecord<byte[], byte[]> record = OperationCodec.toRecord("t", 0, op);

        assertThat(record.value()).isNull();
        assertThat(OperationCodec.fromRecord(consumed(record))).isEqualTo(op);
    }

    @Test
    void foreignRecordsAreRejectedWithTheReason() {
        RecordHeaders noHeaders = new RecordHeaders();
        assertThatThrownBy(() -> OperationCodec.decode("k".getBytes(), "{}".getBytes(), noHeaders))
                .isInstanceOf(MalformedOperationException.class).hasMessageContaining("header [op] is missing");
        assertThatThrownBy(() -> OperationCodec.decode(null, "{}".getBytes(), noHeaders))
                .isInstanceOf(MalformedOperationException.class).hasMessageContaining("no key");

        RecordHeaders badSeqNo = (RecordHeaders) OperationCodec.headers(Operation.index("a", new byte[] {'{', '}'}, 1, 1, 1, 1, "h"));
        badSeqNo.remove("seq_no");
        badSeqNo.add("seq_no", "x1".getBytes());
        assertThatThrownBy(() -> OperationCodec.decode("a".getBytes(), "{}".getBytes(), badSeqNo))
                .isInstanceOf(MalformedOperationException.class).hasMessageContaining("[seq_no] is not a number");
    }

    @Test
    void anIndexOpNeedsASourceAndADeleteHasNone() {
        assertThatThrownBy(() -> new Operation("a", null, 1, 1, OpType.INDEX, 1, 1, "h"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Operation("a", new byte[1], 1, 1, OpType.DELETE, 1, 1, "h"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
