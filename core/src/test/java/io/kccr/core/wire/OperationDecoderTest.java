package io.kccr.core.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OperationDecoderTest {
    private static final String HISTORY = "hist-uuid";
    private final OperationDecoder decoder = new OperationDecoder(HISTORY);

    @Test
    void decodesWhatTheCodecEncodesAndReusesTheExpectedHistory() {
        Operation index = Operation.index("doc-1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 1234567890123L, 2, 3,
                5, new String(HISTORY.toCharArray()));
        Operation decoded = decoder.decode(index.id().getBytes(StandardCharsets.UTF_8), index.source(),
                OperationCodec.headers(index));
        assertThat(decoded).isEqualTo(index);
        assertThat(decoded.historyUuid()).as("the expected instance, not a copy").isSameAs(HISTORY);

        Operation delete = Operation.delete("doc-2", 0, 1, 7, 5, "another-history");
        Operation other = decoder.decode("doc-2".getBytes(StandardCharsets.UTF_8), null, OperationCodec.headers(delete));
        assertThat(other).isEqualTo(delete);
    }

    @Test
    void numbersParseAsLongParseLongDoes() {
        for (long n : new long[] {0, -1, 9, Long.MAX_VALUE, Long.MIN_VALUE, -9_223_372_036_854_775_807L}) {
            RecordHeaders headers = (RecordHeaders) OperationCodec.headers(Operation.index("a", new byte[] {'{', '}'},
                    n, 1, 1, 1, HISTORY));
            assertThat(decoder.decode("a".getBytes(), "{}".getBytes(), headers).seqNo()).isEqualTo(n);
        }
        RecordHeaders plus = (RecordHeaders) OperationCodec.headers(Operation.index("a", new byte[] {'{', '}'}, 1, 1,
                1, 1, HISTORY));
        plus.add(OperationCodec.SEQ_NO, "+42".getBytes(StandardCharsets.US_ASCII)); // the last header wins
        assertThat(decoder.decode("a".getBytes(), "{}".getBytes(), plus).seqNo()).isEqualTo(42);
        for (String bad : new String[] {"", "-", "1x", "9223372036854775808", " 1"}) {
            RecordHeaders headers = (RecordHeaders) OperationCodec.headers(Operation.index("a", new byte[] {'{', '}'},
                    1, 1, 1, 1, HISTORY));
            headers.add(OperationCodec.SEQ_NO, bad.getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> decoder.decode("a".getBytes(), "{}".getBytes(), headers)).as(bad)
                    .isInstanceOf(MalformedOperationException.class)
                    .hasMessage("header [seq_no] is not a number: [" + bad + "]");
        }
    }

    @Test
    void refusesWhatIsNoOperationWithTheCodecsMessages() {
        RecordHeaders none = new RecordHeaders();
        assertThatThrownBy(() -> decoder.decode("k".getBytes(), "{}".getBytes(), none))
                .isInstanceOf(MalformedOperationException.class).hasMessage("header [op] is missing");
        RecordHeaders wrongOp = new RecordHeaders();
        wrongOp.add(OperationCodec.OP, "upsert".getBytes());
        assertThatThrownBy(() -> decoder.decode("k".getBytes(), "{}".getBytes(), wrongOp))
                .isInstanceOf(MalformedOperationException.class).hasMessageContaining("unknown op [upsert]");
        RecordHeaders delete = (RecordHeaders) OperationCodec.headers(Operation.delete("k", 1, 1, 1, 1, HISTORY));
        assertThatThrownBy(() -> decoder.decode("k".getBytes(), "{}".getBytes(), delete))
                .isInstanceOf(MalformedOperationException.class).hasMessageContaining("a delete is a tombstone");
        RecordHeaders noHistory = (RecordHeaders) OperationCodec.headers(Operation.delete("k", 1, 1, 1, 1, HISTORY));
        noHistory.remove(OperationCodec.HISTORY_UUID);
        assertThatThrownBy(() -> decoder.decode("k".getBytes(), null, noHistory))
                .isInstanceOf(MalformedOperationException.class).hasMessage("header [history_uuid] is missing");
        assertThatThrownBy(() -> decoder.decode(null, null, delete)).isInstanceOf(MalformedOperationException.class)
                .hasMessageContaining("no key");
    }
}
