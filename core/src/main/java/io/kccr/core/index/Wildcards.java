package io.kccr.core.index;

/** Elasticsearch's simple wildcard patterns ({@code logs-*}, {@code *-2026}): {@code *} matches any run of characters. */
public final class Wildcards {
    private Wildcards() {
    }

    /**
     * Elasticsearch's {@code Regex.simpleMatch}: {@code *} matches any run of characters, everything else itself.
     */
    public static boolean simpleMatch(String pattern, String value) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(value);
        }
        if (!value.startsWith(pattern.substring(0, star))) {
            return false;
        }
        String rest = pattern.substring(star + 1);
        if (rest.isEmpty()) {
            return true;
        }
        for (int i = star; i <= value.length(); i++) {
            if (simpleMatch(rest, value.substring(i))) {
                return true;
            }
        }
        return false;
    }
}
