package io.kccr.core.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ReadBufferTest {
    private static final FeedLimits TWO_PER_WRITE = new FeedLimits(5120, 32L << 20, Duration.ofMinutes(1), 12,
            Integer.MAX_VALUE, 512L << 20, 2, Long.MAX_VALUE, 9);

    @Test
    void aReadRequestDroppedAfterAFailedWriteReleasesWhatItsRecordsNotYetTakenHeld() {
        FeedBudget budget = new FeedBudget(1L << 30);
        ReadBuffer buffer = new ReadBuffer(TWO_PER_WRITE, budget);
        buffer.add(batch(5));

        List<ConsumerRecord<byte[], byte[]>> request = new ArrayList<>();
        buffer.take(request); // a write request of two of its five records
        assertThat(request).hasSize(2);
        assertThat(buffer.bufferedOps()).isEqualTo(3);

        buffer.dropHead(); // the write failed: the partition is read again from the shard's position
        assertThat(buffer.hasMore()).isFalse();
        assertThat(buffer.bufferedReads()).isZero();
        assertThat(buffer.bufferedOps()).isZero();
        assertThat(buffer.bufferedBytes()).isZero();
        assertThat(budget.used()).isZero();
    }

    @Test
    void takingEveryRecordReleasesTheWholeReadRequest() {
        FeedBudget budget = new FeedBudget(1L << 30);
        ReadBuffer buffer = new ReadBuffer(TWO_PER_WRITE, budget);
        buffer.add(batch(3));
        List<ConsumerRecord<byte[], byte[]>> request = new ArrayList<>();
        buffer.take(request);
        request.clear();
        buffer.take(request);
        buffer.dropHead(); // nothing left to drop

        assertThat(request).hasSize(1);
        assertThat(buffer.bufferedReads()).isZero();
        assertThat(buffer.bufferedOps()).isZero();
        assertThat(budget.used()).isZero();
    }

    private static ReadBatch batch(int n) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("t", 0, i, ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("{\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8));
            records.add(r);
            bytes += ReadBatch.size(r);
        }
        return new ReadBatch(records, bytes, n);
    }
}
