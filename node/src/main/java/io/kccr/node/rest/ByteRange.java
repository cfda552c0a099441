package io.kccr.node.rest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a file, from a {@code Range} header: {@code bytes=<from>-<to>} (inclusive),
 * {@code bytes=<from>-} (to the end) or {@code bytes=-<n>} (the last n bytes). A {@code to} past the
 * end is cut at the end, as HTTP does.
 *
 * @param from   the first byte
 * @param to     the last byte, inclusive
 * @param length the file's length
 */
record ByteRange(long from, long to, long length) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

    /** The number of bytes in the range. */
    long size() {
        return to - from + 1;
    }

    /** The {@code Content-Range} header value. */
    String contentRange() {
        return "bytes " + from + "-" + to + "/" + length;
    }

    /**
     * The range {@code header} asks of a file of {@code length} bytes.
     *
     * @throws HttpError 416 for a header that is not one such range, or a range no byte of the file
     *                      is in (the caller sends {@code Content-Range: bytes *}{@code /<length>})
     */
    static ByteRange parse(String header, long length) {
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw unsatisfiable(header, length, "expected one range bytes=<from>-<to>, bytes=<from>- or bytes=-<n>");
        }
        try {
            if (m.group(1).isEmpty()) {
                long n = Long.parseLong(m.group(2));
                if (n == 0 || length == 0) {
                    throw unsatisfiable(header, length, "the range is empty");
                }
                return new ByteRange(Math.max(0, length - n), length - 1, length);
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2).isEmpty() ? length - 1 : Math.min(Long.parseLong(m.group(2)), length - 1);
            if (from >= length) {
                throw unsatisfiable(header, length, "it starts at or after the end of the file");
            }
            if (to < from) {
                throw unsatisfiable(header, length, "its end is before its start");
            }
            return new ByteRange(from, to, length);
        } catch (NumberFormatException e) {
            throw unsatisfiable(header, length, "a position is too large");
        }
    }

    private static HttpError unsatisfiable(String header, long length, String why) {
        return new HttpError(416, "requested_range_not_satisfiable_exception", "range [" + header
                + "] cannot be served from a file of [" + length + "] bytes: " + why
                + "; request bytes from 0 to " + (length - 1) + " inclusive");
    }
}
