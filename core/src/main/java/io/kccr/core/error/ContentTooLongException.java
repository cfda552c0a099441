package io.kccr.core.error;

import java.util.Map;

/** {@code content_too_long_exception}: a request or one document is larger than a limit allows. */
public final class ContentTooLongException extends KccrException {

    public ContentTooLongException(String reason) {
        super("content_too_long_exception", reason, Map.of(), null);
    }
}
