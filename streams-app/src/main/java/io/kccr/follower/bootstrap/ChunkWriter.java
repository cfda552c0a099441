package io.kccr.follower.bootstrap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;

/**
 * Writes one chunk of a file being fetched at its place in the file's temporary copy as its bytes arrive, and
 * checksums them on the way: no chunk is ever held whole in memory. Bytes are gathered in a direct buffer of the
 * copier's, so the file gets few positional writes of {@link #WRITE_SIZE} however small the pieces the transport
 * hands over, and they are checksummed there, just before they are written: CRC-32 over a direct buffer runs on the
 * native intrinsic with no copy, where the read-only heap slices an HTTP client hands over would be copied through a
 * small {@code byte[]} first. The CRC-32 covers the chunk's bytes that Lucene's checksum covers (all but a file's
 * last 8); the copier joins the chunks' CRCs in file order ({@link Crc32Combine}).
 *
 * <p>Thread-safety: {@link #accept} is called by the source, one call at a time, possibly from different threads;
 * {@link #finish} by the copier once the read has completed.
 */
final class ChunkWriter implements RestoreSource.ChunkSink {
    /**
     * Bytes per write call, however much is gathered: a write of 512 KB into the page cache cost the kernel eight
     * times the CPU per byte of four writes of 128 KB (Linux 6.18, ext4; measured writing 1 GB from a direct buffer:
     * 2.2 s against 0.3 s), and 128 KB is what {@code cp} writes at a time too.
     */
    static final int WRITE_SIZE = 128 << 10;

    private final FileChannel out;
    private final long from;
    private final int length;
    private final long checksummedEnd;
    private final ByteBuffer staging;
    private final ShardRecoveryState state;
    private final CRC32 crc = new CRC32();
    private long received;
    private long written;
    private long checksum = -1;

    /**
     * @param out            the file's temporary copy, shared by the file's chunks (positional writes only)
     * @param from           the chunk's first byte in the file
     * @param length         the chunk's length
     * @param checksummedEnd the file offset up to which bytes are checksummed (its length less the checksum's 8)
     * @param staging        an empty direct buffer the writer owns until {@link #finish}
     */
    ChunkWriter(FileChannel out, long from, int length, long checksummedEnd, ByteBuffer staging,
                ShardRecoveryState state) {
        this.out = out;
        this.from = from;
        this.length = length;
        this.checksummedEnd = checksummedEnd;
        this.staging = staging;
        this.state = state;
    }

    @Override
    public void accept(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        if (received + n > length) {
            throw new IOException("the leader sent more than the " + length + " bytes of the chunk at " + from);
        }
        while (bytes.hasRemaining()) {
            if (!staging.hasRemaining()) {
                flush();
            }
            int k = Math.min(staging.remaining(), bytes.remaining());
            staging.put(staging.position(), bytes, bytes.position(), k);
            staging.position(staging.position() + k);
            bytes.position(bytes.position() + k);
        }
        received += n;
        state.fetched(n);
    }

    private void flush() throws IOException {
        staging.flip();
        int covered = (int) Math.max(0, Math.min(staging.limit(), checksummedEnd - (from + written)));
        if (covered > 0) {
            crc.update(staging.slice(0, covered));
        }
        int end = staging.limit();
        while (staging.position() < end) {
            staging.limit(Math.min(end, staging.position() + WRITE_SIZE));
            while (staging.hasRemaining()) {
                written += out.write(staging, from + written);
            }
        }
        staging.clear();
    }

    /**
     * Writes what is still gathered, once the read has completed; then the buffer is free for another chunk.
     *
     * @throws IOException when the source delivered fewer bytes than the chunk has
     */
    void finish() throws IOException {
        flush();
        if (received != length) {
            throw new IOException("the leader sent " + received + " of the " + length + " bytes of the chunk at "
                    + from);
        }
        checksum = crc.getValue();
    }

    /** The CRC-32 of the chunk's checksummed bytes ({@link #checksummedLength()} of them), once finished. */
    long checksum() {
        if (checksum < 0) {
            throw new IllegalStateException("the chunk at " + from + " is not finished");
        }
        return checksum;
    }

    /** How many of the chunk's bytes the CRC covers. */
    long checksummedLength() {
        return Math.max(0, Math.min(length, checksummedEnd - from));
    }

    /** The buffer the writer gathered bytes in, for the next chunk: only once {@link #finish} has returned. */
    ByteBuffer staging() {
        return staging;
    }
}
