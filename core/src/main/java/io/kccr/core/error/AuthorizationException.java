package io.kccr.core.error;

import java.util.Map;

/**
 * {@code security_exception} with status 403: the request is authenticated, but its user (or API key) lacks the
 * privilege the action needs. The reason is Elasticsearch's: {@code action [x] is unauthorized for user [u] with
 * effective roles [r] ..., this action is granted by the ... privileges [...]}.
 */
public final class AuthorizationException extends KccrException {

    public AuthorizationException(String reason) {
        super("security_exception", reason, Map.of(), null);
    }
}
