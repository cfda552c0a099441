package io.kccr.node.indices;

import io.kccr.core.error.InvalidRequestException;
import java.util.Locale;

/**
 * Elasticsearch's {@code IndicesOptions}: how a multi-target path ({@code a,b}, {@code logs-*}, {@code _all}) is
 * resolved to indices.
 *
 * @param ignoreUnavailable a named index that is missing (or closed, where closed ones are forbidden) is left out
 *                          instead of failing the request
 * @param allowNoIndices    an expression that resolves to no index (a wildcard matching none, {@code _all} on an
 *                          empty node) is answered with nothing instead of a 404
 * @param expandOpen        wildcards match open indices
 * @param expandClosed      wildcards match closed indices
 * @param forbidClosed      a closed index named explicitly is a 400 {@code index_closed_exception} (unless
 *                          ignored); wildcards never reach closed ones then
 */
public record IndicesOptions(boolean ignoreUnavailable, boolean allowNoIndices, boolean expandOpen,
                             boolean expandClosed, boolean forbidClosed) {

    /** Elasticsearch's {@code strictExpandOpenAndForbidClosed}: stats, recovery, CCR stats. */
    public static final IndicesOptions STRICT_EXPAND_OPEN_FORBID_CLOSED = new IndicesOptions(false, true, true, false,
            true);

    /** Elasticsearch's {@code strictExpandOpen}: named closed indices allowed (CCR info). */
    public static final IndicesOptions STRICT_EXPAND_OPEN = new IndicesOptions(false, true, true, false, false);

    /** Expands to open and closed indices: get settings, cat indices. */
    public static final IndicesOptions STRICT_EXPAND_OPEN_CLOSED = new IndicesOptions(false, true, true, true, false);

    /**
     * These defaults with the request's {@code ignore_unavailable}, {@code allow_no_indices} and
     * {@code expand_wildcards} (null when absent), each a 400 {@code illegal_argument_exception} when invalid.
     */
    public IndicesOptions with(String ignoreUnavailable, String allowNoIndices, String expandWildcards) {
        boolean open = expandOpen;
        boolean closed = expandClosed;
        if (expandWildcards != null) {
            open = false;
            closed = false;
            for (String w : expandWildcards.split(",")) {
                switch (w.strip().toLowerCase(Locale.ROOT)) {
                    case "open" -> open = true;
                    case "closed" -> closed = true;
                    case "all" -> {
                        open = true;
                        closed = true;
                    }
                    case "hidden", "none" -> {
                        // no hidden indices here; none adds nothing
                    }
                    default -> throw InvalidRequestException.illegalArgument("No enum constant"
                            + " org.elasticsearch.action.support.IndicesOptions.WildcardStates." + w.strip()
                            .toUpperCase(Locale.ROOT) + " (expand_wildcards takes open, closed, hidden, none or all)");
                }
            }
        }
        return new IndicesOptions(bool("ignore_unavailable", ignoreUnavailable, this.ignoreUnavailable),
                bool("allow_no_indices", allowNoIndices, this.allowNoIndices), open, closed, forbidClosed);
    }

    private static boolean bool(String name, String value, boolean absent) {
        if (value == null) {
            return absent;
        }
        return switch (value) {
            case "", "true" -> true;
            case "false" -> false;
            default -> throw InvalidRequestException.illegalArgument("Failed to parse value [" + value + "] as only"
                    + " [true] or [false] are allowed for [" + name + "]");
        };
    }
}
