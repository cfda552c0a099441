package io.kccr.core.verify;

import java.util.HexFormat;
import org.apache.lucene.util.StringHelper;

/**
 * The hash a digest gives a document's {@code _source}: MurmurHash3 x64 128 (Lucene's) of the stored bytes, as 32
 * hex digits. Not cryptographic: it tells a copy that went wrong from the original, not a forgery; two different
 * sources collide with probability 2<sup>-128</sup>.
 */
public final class SourceHash {
    private static final HexFormat HEX = HexFormat.of();

    private SourceHash() {
    }

    public static String of(byte[] bytes, int offset, int length) {
        long[] h = StringHelper.murmurhash3_x64_128(bytes, offset, length, 0);
        return HEX.toHexDigits(h[0]) + HEX.toHexDigits(h[1]);
    }
}
