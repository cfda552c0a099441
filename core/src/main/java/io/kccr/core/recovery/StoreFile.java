package io.kccr.core.recovery;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * One file of a pinned Lucene commit, as a follower copies it: {@code {"name":"_0.cfs","length":1234,
 * "checksum":305419896}}.
 *
 * <p>{@code checksum} is the CRC32 that Lucene writes into the file's own footer
 * ({@link CodecUtil#retrieveChecksum(IndexInput)}), a JSON number between 0 and 2<sup>32</sup>-1. A
 * copy is intact when it has exactly {@code length} bytes and {@link CodecUtil#checksumEntireFile}
 * of it returns {@code checksum}.
 *
 * @param name     the file name inside the shard directory (no directory part)
 * @param length   the file's length in bytes
 * @param checksum the footer checksum of the file
 */
public record StoreFile(@JsonProperty("name") String name, @JsonProperty("length") long length,
                        @JsonProperty("checksum") long checksum) {

    public StoreFile {
        Objects.requireNonNull(name, "name");
        if (length < 0) {
            throw new IllegalArgumentException("length of [" + name + "] is negative: " + length);
        }
    }

    /**
     * Describes {@code name} of {@code directory}: its length and the checksum its footer records
     * (read from the footer, not computed over the whole file).
     *
     * @throws org.apache.lucene.index.CorruptIndexException when the file has no valid footer
     */
    public static StoreFile read(Directory directory, String name) throws IOException {
        try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
            return new StoreFile(name, in.length(), CodecUtil.retrieveChecksum(in));
        }
    }
}
