package io.kccr.follower;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.kccr.core.error.KccrException;
import io.kccr.follower.apply.FollowerFailure;
import java.util.Locale;
import java.util.Objects;

/**
 * Why a follower stopped for good (status {@code failed}), as Elasticsearch's {@code fatal_exception}
 * shows it: an error type such as {@code illegal_state_exception}, the reason (what happened and what to
 * do next), and what caused it ({@code caused_by}, null when nothing did). Immutable.
 *
 * <p>Serialized with Jackson into {@code follow.json} and the stats API. A {@code follow.json} written
 * before this record existed holds the error as one string, {@code "<type>: <reason>"}, which
 * {@link #fromString} reads.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FatalError(String type, String reason, @JsonProperty("caused_by") FatalError cause) {
    /** How deep a cause chain is kept: enough to name the root, bounded against cyclic causes. */
    private static final int MAX_CAUSES = 4;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public FatalError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code e}'s message with its root cause's, in one line, for a reason shown to users. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e == root || e.getMessage() == null ? String.valueOf(root) : e.getMessage() + " (" + root + ")";
    }

    /** The error a follower failure stands for, with the failure's causes. */
    public static FatalError of(FollowerFailure failure) {
        return new FatalError(failure.type(), failure.getMessage(), causeOf(failure.getCause(), MAX_CAUSES));
    }

    /**
     * Reads the string form an earlier version stored: {@code "<type>: <reason>"}, where the type is
     * one snake_case word; anything else is taken as the reason of an {@code exception}.
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static FatalError fromString(String text) {
        int colon = text.indexOf(": ");
        if (colon > 0 && text.substring(0, colon).matches("[a-z0-9_]+")) {
            return new FatalError(text.substring(0, colon), text.substring(colon + 2), null);
        }
        return new FatalError("exception", text, null);
    }

    /** One line, {@code "<type>: <reason>"}, as {@code _ccr/info} shows it. */
    public String describe() {
        return type + ": " + reason;
    }

    private static FatalError causeOf(Throwable t, int depth) {
        if (t == null || depth == 0) {
            return null;
        }
        String type = switch (t) {
            case FollowerFailure f -> f.type();
            case KccrException k -> k.type();
            default -> t.getClass().getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        };
        String reason = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        return new FatalError(type, reason, t.getCause() == t ? null : causeOf(t.getCause(), depth - 1));
    }
}
