package io.kccr.node.rest;

import io.kccr.node.security.TlsIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * What the REST server adds to Jetty below Javalin: its HTTPS connector, and the answers Jetty gives itself in
 * Elasticsearch's error shape.
 */
final class JettyParts {
    private JettyParts() {
    }

    /** The HTTPS connector: Jetty's TLS with the node's certificate; the Host need not match the certificate (SNI). */
    static Connector tlsConnector(Server server, HttpConfiguration http, TlsIdentity tls, String host,
                                          int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.password()));
        HttpConfiguration https = new HttpConfiguration(http);
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(https));
        connector.setHost(host);
        connector.setPort(port);
        return connector;
    }

    /**
     * Errors Jetty answers itself, before any route runs (e.g. a URI it cannot canonicalize, such as
     * {@code PUT /..}): rendered in Elasticsearch's error shape too, instead of Jetty's HTML page.
     */
    static final class Errors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) throws IOException {
            String reason = HttpStatus.getMessage(code);
            String detail = message != null && !message.isBlank() ? message : cause == null ? null : cause.getMessage();
            if (detail != null && !detail.contains(reason)) {
                reason += ": " + detail;
            }
            reason += " (rejected by the HTTP server before routing, e.g. a path with '..' segments or a malformed"
                    + " request line)";
            String type = code == 413 ? "content_too_long_exception" : code >= 500 ? "exception"
                    : "illegal_argument_exception";
            byte[] body = Json.MAPPER.writeValueAsBytes(RestErrors.body(new RestErrors.Reply(code, type, reason, Map.of(), null)));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put("X-Elastic-Product", "Elasticsearch");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
