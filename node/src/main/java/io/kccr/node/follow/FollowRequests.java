package io.kccr.node.follow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.error.InvalidRequestException;
import io.kccr.core.settings.ByteSizeValue;
import io.kccr.core.settings.TimeValue;
import io.kccr.follower.FollowParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the bodies of the follow APIs ({@code _ccr/follow}, {@code resume_follow}, auto-follow patterns) as
 * Elasticsearch's object parser and request validation do:
 * <ul>
 *   <li>a field the request does not take is a 400 {@code x_content_parse_exception}
 *       {@code [<parser>] unknown field [x]};</li>
 *   <li>a value that cannot be read (a count that is no whole number, a size or time that does not parse, e.g.
 *       {@code "banana"}) is a 400 {@code x_content_parse_exception} {@code [<parser>] failed to parse field [x]}
 *       with the reason as its {@code caused_by};</li>
 *   <li>values out of range, and required fields that are missing, are collected into one 400
 *       {@code action_request_validation_exception} {@code Validation Failed: 1: ...;2: ...;}, in Elasticsearch's
 *       words ({@code max_read_request_size must be larger than 0}).</li>
 * </ul>
 * A parameter the body leaves out takes Elasticsearch's default: parameters given to {@code resume_follow} replace
 * the follower's, they are not merged into them. Stateless.
 */
public final class FollowRequests {
    /** Elasticsearch's ten follow parameters, which every follow body takes. */
    public static final Set<String> PARAMETERS = Set.of("max_read_request_operation_count",
            "max_outstanding_read_requests", "max_read_request_size", "max_write_request_operation_count",
            "max_write_request_size", "max_outstanding_write_requests", "max_write_buffer_count",
            "max_write_buffer_size", "max_retry_delay", "read_poll_timeout");

    /** Elasticsearch's upper bound of {@code max_retry_delay}. */
    private static final TimeValue RETRY_DELAY_MAX = TimeValue.ofMinutes(5);

    private FollowRequests() {
    }

    /**
     * A follow body being read: its parameters, and the validation errors found so far (which the caller may add
     * to, e.g. for its own missing fields, before {@link #validate()}).
     */
    public static final class Body {
        private final JsonNode body;
        private final String parser;
        /** The caller's validation errors (missing fields), which Elasticsearch lists before the parameters'. */
        private final List<String> errors = new ArrayList<>();
        private final List<String> parameterErrors = new ArrayList<>();
        private final FollowParameters parameters;

        private Body(JsonNode body, String parser) {
            this.body = body;
            this.parser = parser;
            this.parameters = parameters();
        }

        /** The body's parameters over Elasticsearch's defaults; only valid once {@link #validate()} passed. */
        public FollowParameters followParameters() {
            return parameters;
        }

        /** The body's value of {@code field}, null when absent or JSON null. */
        public JsonNode get(String field) {
            JsonNode v = body.get(field);
            return v == null || v.isNull() ? null : v;
        }

        /** The text of string field {@code field}; null when absent; a 400 when it is no string. */
        public String text(String field) {
            JsonNode v = get(field);
            if (v == null) {
                return null;
            }
            if (!v.isValueNode()) {
                throw InvalidRequestException.contentParse("[" + parser + "] " + field + " doesn't support values"
                        + " of type: " + token(v));
            }
            return v.asText();
        }

        /** Adds Elasticsearch's {@code <field> is missing} when {@code field} is absent. */
        public Body require(String field) {
            if (get(field) == null) {
                errors.add(field + " is missing");
            }
            return this;
        }

        /** Adds a validation error of the caller's. */
        public Body error(String message) {
            errors.add(message);
            return this;
        }

        /**
         * Throws the collected validation errors as one {@code action_request_validation_exception}, if any.
         *
         * @return this, for chaining
         */
        public Body validate() {
            errors.addAll(parameterErrors);
            parameterErrors.clear();
            if (!errors.isEmpty()) {
                StringBuilder reason = new StringBuilder("Validation Failed: ");
                for (int i = 0; i < errors.size(); i++) {
                    reason.append(i + 1).append(": ").append(errors.get(i)).append(';');
                }
                throw InvalidRequestException.validation(reason.toString());
            }
            return this;
        }

        private FollowParameters parameters() {
            FollowParameters d = FollowParameters.DEFAULTS;
            return new FollowParameters(
                    count("max_read_request_operation_count", d.maxReadRequestOperationCount()),
                    count("max_outstanding_read_requests", d.maxOutstandingReadRequests()),
                    size("max_read_request_size", d.maxReadRequestSize()),
                    count("max_write_request_operation_count", d.maxWriteRequestOperationCount()),
                    size("max_write_request_size", d.maxWriteRequestSize()),
                    count("max_outstanding_write_requests", d.maxOutstandingWriteRequests()),
                    count("max_write_buffer_count", d.maxWriteBufferCount()),
                    size("max_write_buffer_size", d.maxWriteBufferSize()),
                    retryDelay(d.maxRetryDelay()),
                    time("read_poll_timeout", d.readPollTimeout()));
        }

        private int count(String name, int absent) {
            JsonNode v = get(name);
            if (v == null) {
                return absent;
            }
            int n;
            if (v.isIntegralNumber() && v.canConvertToInt()) {
                n = v.intValue();
            } else if (v.isTextual()) {
                try {
                    n = Integer.parseInt(v.asText().strip());
                } catch (NumberFormatException e) {
                    throw failedToParse(name, new NumberFormatException("For input string: \"" + v.asText() + "\""));
                }
            } else {
                throw failedToParse(name, new IllegalArgumentException("[" + name + "] must be a whole number from 1"
                        + " to " + Integer.MAX_VALUE + ", got [" + v + "]"));
            }
            if (n < 1) {
                parameterErrors.add(name + " must be larger than 0");
            }
            return n;
        }

        private ByteSizeValue size(String name, ByteSizeValue absent) {
            String text = stringValue(name);
            if (text == null) {
                return absent;
            }
            ByteSizeValue size;
            try {
                size = ByteSizeValue.parse(text, name);
            } catch (IllegalArgumentException e) {
                throw failedToParse(name, InvalidRequestException.parse(e.getMessage()));
            }
            if (size.bytes() <= 0) {
                parameterErrors.add(name + " must be larger than 0");
                return absent;
            }
            return size;
        }

        private Duration retryDelay(Duration absent) {
            String name = "max_retry_delay";
            TimeValue t = timeValue(name);
            if (t == null) {
                return absent;
            }
            if (t.millis() <= 0) {
                parameterErrors.add("[" + name + "] must be positive but was [" + t.stringRep() + "]");
                return absent;
            }
            if (t.compareTo(RETRY_DELAY_MAX) > 0) {
                parameterErrors.add("[" + name + "] must be less than [" + RETRY_DELAY_MAX.stringRep() + "] but was ["
                        + t.stringRep() + "]");
                return absent;
            }
            return t.toDuration();
        }

        private Duration time(String name, Duration absent) {
            TimeValue t = timeValue(name);
            if (t == null) {
                return absent;
            }
            if (t.isMinusOne()) {
                // Elasticsearch would take -1 and never wait; a poll that never waits would spin here
                parameterErrors.add("[" + name + "] must be 0 or more but was [-1]; give a time value such as 1m");
                return absent;
            }
            return t.toDuration();
        }

        private TimeValue timeValue(String name) {
            String text = stringValue(name);
            if (text == null) {
                return null;
            }
            try {
                return TimeValue.parse(text, name);
            } catch (IllegalArgumentException e) {
                throw failedToParse(name, InvalidRequestException.parse(e.getMessage()));
            }
        }

        /** A size or time: Elasticsearch's parser takes strings only (and numbers as their text). */
        private String stringValue(String name) {
            JsonNode v = get(name);
            if (v == null) {
                return null;
            }
            if (!v.isTextual() && !v.isNumber()) {
                throw InvalidRequestException.contentParse("[" + parser + "] " + name + " doesn't support values of"
                        + " type: " + token(v));
            }
            return v.asText();
        }

        private InvalidRequestException failedToParse(String name, Throwable cause) {
            return InvalidRequestException.contentParse("[" + parser + "] failed to parse field [" + name + "]",
                    cause);
        }
    }

    /**
     * Starts reading {@code body} (absent or {@code {}} for none) as parser {@code parser} (Elasticsearch's name of
     * the request, shown in errors), which takes the ten parameters and {@code otherFields}.
     *
     * @throws InvalidRequestException {@code x_content_parse_exception} for an unknown field or a value that
     *                                 cannot be read; range errors wait for {@link Body#validate()}
     */
    public static Body read(JsonNode body, String parser, Set<String> otherFields) {
        JsonNode object = body == null || body.isMissingNode() || body.isNull()
                ? JsonNodeFactory.instance.objectNode() : body;
        object.fieldNames().forEachRemaining(key -> {
            if (!PARAMETERS.contains(key) && !otherFields.contains(key)) {
                throw InvalidRequestException.contentParse("[" + parser + "] unknown field [" + key + "]");
            }
        });
        return new Body(object, parser);
    }

    /**
     * The parameters a follower's state file holds ({@link FollowParametersJson}); a missing one takes the default.
     * Files are ours, so nothing is refused for being unknown.
     */
    public static FollowParameters stored(JsonNode node) {
        JsonNode params = node.deepCopy();
        if (params.isObject()) {
            ((ObjectNode) params).retain(PARAMETERS);
        }
        return read(params, "follow_parameters", Set.of()).validate().followParameters();
    }

    /**
     * The put-follow request's {@code timeout} parameter, or {@code absent} when not given.
     *
     * @throws InvalidRequestException when it is not a time value of 0 or more
     */
    public static Duration timeout(String value, Duration absent) {
        if (value == null) {
            return absent;
        }
        TimeValue time;
        try {
            time = TimeValue.parse(value, "timeout");
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.illegalArgument(e.getMessage());
        }
        if (time.isMinusOne()) {
            throw InvalidRequestException.illegalArgument("[timeout] must not be negative, got [" + value
                    + "]; give a time value such as 30s");
        }
        return time.toDuration();
    }

    private static String token(JsonNode v) {
        return switch (v.getNodeType()) {
            case OBJECT -> "START_OBJECT";
            case ARRAY -> "START_ARRAY";
            case BOOLEAN -> "VALUE_BOOLEAN";
            case NUMBER -> "VALUE_NUMBER";
            case STRING -> "VALUE_STRING";
            default -> "VALUE_NULL";
        };
    }
}
