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

    /**
     * {@code client} with {@code authorization}, as a node of this cluster calls another ({@code node}: its name):
     * its own credentials, trusting the cluster's CA.
     */
    public static RemoteHttp peer(String node, HttpClient client, String authorization) {
        return new RemoteHttp("node [" + node + "]", client, authorization);
    }

    /** The client and credentials of {@code config}. */
    static RemoteHttp of(RemoteCluster config, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
        if (config.certificateAuthorities() != null) {
            b.sslContext(trusting(config.certificateAuthorities(), RemoteClusterSettings
                    .SSL_CERTIFICATE_AUTHORITIES.key(config.name())));
        } else if (config.caFingerprint() != null) {
            b.sslContext(trustingFingerprint(config.caFingerprint()));
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

    /**
     * An SSL context trusting a server whose chain holds a certificate with SHA-256 {@code fingerprint} (hex, colons
     * allowed); the host name is still verified by the client.
     */
    public static SSLContext trustingFingerprint(String fingerprint) {
        String wanted = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        javax.net.ssl.X509TrustManager trust = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException("a client's trust only");
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                for (java.security.cert.X509Certificate cert : chain) {
                    try {
                        if (java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(cert.getEncoded())).equals(wanted)) {
                            chain[0].checkValidity();
                            return;
                        }
                    } catch (GeneralSecurityException e) {
                        throw new java.security.cert.CertificateException(e);
                    }
                }
                throw new java.security.cert.CertificateException("no certificate of the server's chain has the"
                        + " trusted SHA-256 fingerprint " + wanted);
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        try {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
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
