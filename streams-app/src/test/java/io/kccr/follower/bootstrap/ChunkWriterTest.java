package io.kccr.follower.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkWriterTest {
    @TempDir
    Path dir;

    /**
     * A chunk larger than the gathering buffer, arriving in pieces of every size (one byte, less and more than a
     * write, more than the buffer), lands byte for byte at its place through the writes of at most
     * {@link ChunkWriter#WRITE_SIZE} it is cut into, with the CRC of the bytes up to the file's checksummed end.
     */
    @Test
    void aLargeChunkInUnevenPiecesLandsAtItsPlaceWithItsChecksum() throws IOException {
        int from = 1_000;
        int length = 1_300_000; // more than two gathering buffers
        byte[] bytes = new byte[length];
        new Random(7).nextBytes(bytes);
        long checksummedEnd = from + length - 8L; // the chunk holds the file's last 8 bytes
        Path file = dir.resolve("part");
        ShardRecoveryState state = new ShardRecoveryState(0);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ChunkWriter writer = new ChunkWriter(out, from, length, checksummedEnd,
                    ByteBuffer.allocateDirect(ShardCopier.WRITE_BUFFER), state);
            int[] pieces = {1, 100_000, ChunkWriter.WRITE_SIZE + 3, 700_000, 17};
            int at = 0;
            for (int i = 0; at < length; i++) {
                int n = Math.min(pieces[i % pieces.length], length - at);
                ByteBuffer piece = ByteBuffer.allocateDirect(n).put(bytes, at, n).flip();
                writer.accept(piece.asReadOnlyBuffer());
                at += n;
            }
            writer.finish();
            CRC32 expected = new CRC32();
            expected.update(bytes, 0, length - 8);
            assertThat(writer.checksum()).isEqualTo(expected.getValue());
            assertThat(writer.checksummedLength()).isEqualTo(length - 8);
        }
        byte[] written = Files.readAllBytes(file);
        assertThat(written).hasSize(from + length);
        assertThat(Arrays.copyOfRange(written, from, from + length)).isEqualTo(bytes);
    }

    @Test
    void aChunkThatArrivesShortFailsWhenFinished() throws IOException {
        try (FileChannel out = FileChannel.open(dir.resolve("short"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ChunkWriter writer = new ChunkWriter(out, 0, 10, 2, ByteBuffer.allocateDirect(4),
                    new ShardRecoveryState(0));
            writer.accept(ByteBuffer.wrap(new byte[6]));
            assertThatThrownBy(writer::finish).isInstanceOf(IOException.class).hasMessageContaining("6 of the 10");
        }
    }
}
