package io.kccr.follower.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class Crc32CombineTest {

    @Test
    void joiningTheCrcsOfPiecesInOrderGivesTheCrcOfTheWhole() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(5_000)];
            random.nextBytes(bytes);
            long combined = 0;
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(700));
                combined = Crc32Combine.combine(combined, crc(bytes, at, n), n);
                at += n;
            }
            assertThat(combined).as("%d bytes", bytes.length).isEqualTo(crc(bytes, 0, bytes.length));
        }
    }

    @Test
    void anEmptySecondPartLeavesTheFirstCrc() {
        byte[] bytes = {1, 2, 3};
        assertThat(Crc32Combine.combine(crc(bytes, 0, 3), crc(bytes, 0, 0), 0)).isEqualTo(crc(bytes, 0, 3));
    }

    @Test
    void aLongSecondPartOfZerosIsJoinedInLogarithmicSteps() {
        byte[] zeros = new byte[3 << 20];
        byte[] head = {42, 7};
        CRC32 whole = new CRC32();
        whole.update(head);
        whole.update(zeros);
        assertThat(Crc32Combine.combine(crc(head, 0, 2), crc(zeros, 0, zeros.length), zeros.length))
                .isEqualTo(whole.getValue());
    }

    private static long crc(byte[] bytes, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return crc.getValue();
    }
}
