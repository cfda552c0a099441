package io.kccr.core.verify;

import java.util.Comparator;

/**
 * The order of document ids in a digest: Lucene's order of the {@code _id} terms, which is the order of their UTF-8
 * bytes, hence of their Unicode code points. Not {@link String#compareTo}, which orders UTF-16 code units and so
 * differs for ids mixing supplementary characters with characters from U+E000 to U+FFFF.
 */
public final class IdOrder {
    /** Compares ids by code point, without encoding them. */
    public static final Comparator<String> COMPARATOR = IdOrder::compare;

    private IdOrder() {
    }

    public static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
