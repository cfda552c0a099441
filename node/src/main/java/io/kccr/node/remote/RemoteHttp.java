package io.kccr.node.remote;

import io.kccr.core.error.AuthorizationException;
import io.kccr.node.settings.RemoteClusterSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How this node talks HTTP to a remote cluster: a client that trusts the remote's CA
 * ({@code cluster.remote.<name>.ssl.certificate_authorities}, else the JVM's CAs; host names verified), and the
 * remote's cross-cluster API key ({@code cluster.remote.<name>.credentials}) sent on every request. Used for
 * discovery, the leader's metadata, restore sessions and digests. Thread-safe.
 */
public final class RemoteHttp {
    private final String remote;
    private final HttpClient client;
    private final String authorization;

    private RemoteHttp(String remote, HttpClient client, String authorization) {
        this.remote = remote;
        this.client = client;
        this.authorization = authorization;
    }

    /** {@code client} without credentials (a remote known only by its address, a test). */
    public static RemoteHttp plain(String remote, HttpClient client) {
        return new RemoteHttp(remote, client, null);
    }

    /** The client and credentials of {@code config}. */
    static RemoteHttp of(RemoteCluster config, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (config.certificateAuthorities() != null) {
            b.sslContext(trusting(config.certificateAuthorities(), RemoteClusterSettings
                    .SSL_CERTIFICATE_AUTHORITIES.key(config.name())));
        }
        return new RemoteHttp(config.name(), b.build(), config.credentials() == null ? null
                : "ApiKey " + config.credentials().strip());
    }

    /** An SSL context trusting the CA certificates of PEM file {@code caFile} ({@code setting} names it in errors). */
    public static SSLContext trusting(Path caFile, String setting) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("[" + caFile + "] (" + setting + ") holds no PEM certificate");
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read [" + caFile + "] (" + setting + "): " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("[" + caFile + "] (" + setting + ") is not a PEM file of CA"
                    + " certificates: " + e.getMessage(), e);
        }
    }

    public HttpClient client() {
        return client;
    }

    /** The {@code Authorization} header value to send, or null when no credentials are configured. */
    public String authorization() {
        return authorization;
    }

    /** {@code builder} with the remote's credentials. */
    public HttpRequest.Builder authorize(HttpRequest.Builder builder) {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    /**
     * The 403 for a remote that refused this node's request with {@code status} (401 or 403), naming the setting to
     * fix: the follower cannot act on that remote.
     */
    public AuthorizationException refused(int status, String what, String leaderIndex, String answer) {
        String key = RemoteClusterSettings.CREDENTIALS.key(remote);
        String fix = authorization == null
                ? "set " + key + " to the encoded value of a cross-cluster API key created on that cluster with POST "
                + "/_security/cross_cluster/api_key"
                : status == 401 ? "the key in " + key + " is unknown, expired or invalidated there: create another"
                + " with POST /_security/cross_cluster/api_key and set " + key + " to its encoded value"
                : "the key in " + key + " does not grant it: create one whose access.replication names ["
                + (leaderIndex == null ? "the leader index" : leaderIndex) + "] and set " + key + " to its encoded value";
        return new AuthorizationException("remote cluster [" + remote + "] refused " + what + " with HTTP " + status
                + (answer == null || answer.isBlank() ? "" : " (" + abbreviate(answer) + ")") + ": " + fix);
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
    }
}
