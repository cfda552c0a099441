package io.kccr.node.security;

import java.util.regex.Pattern;

/**
 * Which foreign origins may call the REST API from a browser, from Elasticsearch's {@code http.cors.*} settings.
 * Off by default: a request whose {@code Origin} is not the node's own is refused. Immutable.
 *
 * @param enabled          {@code http.cors.enabled}
 * @param allowOrigin      {@code http.cors.allow-origin}: an origin, {@code *}, or {@code /regex/}
 * @param allowCredentials {@code http.cors.allow-credentials}
 * @param allowHeaders     {@code http.cors.allow-headers}
 * @param allowMethods     {@code http.cors.allow-methods}
 */
public record CorsPolicy(boolean enabled, String allowOrigin, boolean allowCredentials, String allowHeaders,
                         String allowMethods) {

    /** No cross-origin request at all. */
    public static CorsPolicy off() {
        return new CorsPolicy(false, "", false, "", "");
    }

    /** Whether a request from {@code origin} may be served. */
    public boolean allows(String origin) {
        if (!enabled || origin == null || allowOrigin.isEmpty()) {
            return false;
        }
        if (allowOrigin.equals("*")) {
            return true;
        }
        if (allowOrigin.length() > 1 && allowOrigin.startsWith("/") && allowOrigin.endsWith("/")) {
            return Pattern.compile(allowOrigin.substring(1, allowOrigin.length() - 1)).matcher(origin).matches();
        }
        for (String allowed : allowOrigin.split(",")) {
            if (allowed.strip().equalsIgnoreCase(origin)) {
                return true;
            }
        }
        return false;
    }
}
