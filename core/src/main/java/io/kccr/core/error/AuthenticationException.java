package io.kccr.core.error;

import java.util.Map;

/**
 * {@code security_exception} with status 401: the request carries no credentials, or credentials that do not
 * authenticate (unknown user, wrong password, an expired, invalidated or malformed API key, a key of the wrong
 * type). The REST layer adds Elasticsearch's {@code WWW-Authenticate} challenges. The reason never holds a secret.
 */
public final class AuthenticationException extends KccrException {

    public AuthenticationException(String reason) {
        super("security_exception", reason, Map.of(), null);
    }

    /** Elasticsearch's answer to a request without credentials. */
    public static AuthenticationException missing(String action) {
        return new AuthenticationException("missing authentication credentials for REST request [" + action + "]");
    }

    /** Elasticsearch's answer to credentials that do not authenticate, naming the user but never the secret. */
    public static AuthenticationException failed(String principal, String action) {
        return new AuthenticationException("unable to authenticate user [" + principal + "] for REST request ["
                + action + "]");
    }
}
