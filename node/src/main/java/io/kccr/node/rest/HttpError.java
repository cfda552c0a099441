package io.kccr.node.rest;

/**
 * An error of the HTTP exchange itself, which never reaches the services: a method a path does not
 * take (405), a body over {@code http.max_content_length} (413), a byte range a file cannot serve
 * (416). Rendered by {@link RestErrors} like every other error.
 */
final class HttpError extends RuntimeException {
    private final int status;
    private final String type;

    HttpError(int status, String type, String reason) {
        super(reason);
        this.status = status;
        this.type = type;
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
