package io.kccr.follower.bootstrap;

/**
 * The CRC-32 of two byte sequences one after the other, from the CRC-32 of each and the second's length, as zlib's
 * {@code crc32_combine} computes it (appending {@code len2} zero bits is a linear map over GF(2), applied by
 * repeated squaring of its matrix). It lets chunks of a file be checksummed as they arrive, in any order, and
 * their checksums joined in file order into the file's. Stateless.
 */
final class Crc32Combine {
    private static final int DIM = 32;
    private static final long POLYNOMIAL = 0xedb88320L; // CRC-32, reflected, as java.util.zip.CRC32

    private Crc32Combine() {
    }

    /** The CRC-32 of {@code a} followed by {@code b}, given {@code crcA}, {@code crcB} and {@code lengthB}. */
    static long combine(long crcA, long crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[DIM];
        long[] odd = new long[DIM];
        odd[0] = POLYNOMIAL; // the operator for one zero bit
        long row = 1;
        for (int n = 1; n < DIM; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA;
        long length = lengthB;
        do { // one zero byte first, then doubled for every bit of the length
            square(even, odd);
            if ((length & 1) != 0) {
                crc = times(even, crc);
            }
            length >>= 1;
            if (length == 0) {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0) {
                crc = times(odd, crc);
            }
            length >>= 1;
        } while (length != 0);
        return crc ^ crcB;
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < DIM; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
