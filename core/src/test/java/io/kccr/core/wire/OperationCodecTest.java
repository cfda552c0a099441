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
