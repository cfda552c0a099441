package io.kccr.node;

import io.kccr.node.security.CorsPolicy;
import io.kccr.node.security.HttpCertificates;
import io.kccr.node.security.TlsIdentity;
import io.kccr.node.settings.NodeScopeSettings;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * The security decisions a node makes as it starts, from its settings: the bootstrap check (security off on a
 * non-loopback address only by explicit choice), the REST API's TLS identity (given, generated on first start, or
 * none), and the CORS policy. Stateless.
 */
final class SecurityBootstrap {
    private SecurityBootstrap() {
    }

    /**
     * The bootstrap check: with {@code xpack.security.enabled: false}, a non-loopback {@code http.host} needs
     * {@code xpack.security.allow_insecure_bind: true}.
     *
     * @throws NodeStartException saying which setting to change
     */
    static void checkBind(NodeSettings settings) throws NodeStartException {
        if (settings.securityEnabled() || settings.allowInsecureBind() || isLoopback(settings.httpHost())) {
            return;
        }
        throw new NodeStartException("bootstrap check failure: security is off (xpack.security.enabled: false) and "
                + "http.host [" + settings.httpHost() + "] is not a loopback address, so anyone who reaches the port"
                + " could read, write and delete every index. Turn security on (xpack.security.enabled: true), bind a"
                + " loopback address (http.host: 127.0.0.1), or, if this is intended, set"
                + " xpack.security.allow_insecure_bind: true", null);
    }

    /** Whether {@code host} is a loopback address (or a name that resolves to one). */
    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The REST API's TLS identity: from {@code xpack.security.http.ssl.keystore.path}, or {@code certificate} and
     * {@code key}; generated under {@code path.data} when TLS is on without them, which it is by default with
     * security on and a non-loopback {@code http.host}; null for plain HTTP.
     *
     * @throws NodeStartException when the files cannot be read, saying which setting names them
     */
    static TlsIdentity tls(NodeSettings settings, Path data) throws NodeStartException {
        Optional<Path> keyStore = settings.find(NodeScopeSettings.HTTP_SSL_KEYSTORE_PATH);
        Optional<Path> certificate = settings.find(NodeScopeSettings.HTTP_SSL_CERTIFICATE);
        Optional<Path> key = settings.find(NodeScopeSettings.HTTP_SSL_KEY);
        boolean given = keyStore.isPresent() || certificate.isPresent();
        boolean enabled = settings.httpSslEnabled().orElse(given
                || settings.securityEnabled() && !isLoopback(settings.httpHost()));
        if (!enabled) {
            return null;
        }
        String prefix = "xpack.security.http.ssl.";
        try {
            if (keyStore.isPresent()) {
                return HttpCertificates.fromKeyStore(keyStore.get(), settings.value(
                        NodeScopeSettings.HTTP_SSL_KEYSTORE_PASSWORD).toCharArray());
            }
            if (certificate.isPresent()) {
                if (key.isEmpty()) {
                    throw new NodeStartException(prefix + "certificate is set but " + prefix + "key is not: give the"
                            + " PEM file of the certificate's private key", null);
                }
                return HttpCertificates.fromPem(certificate.get(), key.get(), settings.find(
                        NodeScopeSettings.HTTP_SSL_CERTIFICATE_AUTHORITIES).orElse(null));
            }
            return HttpCertificates.generatedOrExisting(data, settings.httpHost(), settings.clusterName());
        } catch (IOException | GeneralSecurityException e) {
            throw new NodeStartException("cannot set up TLS on the REST API: " + e.getMessage() + "; check "
                    + prefix + "keystore.path, " + prefix + "certificate and " + prefix + "key (or remove them to"
                    + " have certificates generated under path.data)", e);
        }
    }

    /** The {@code http.cors.*} policy. */
    static CorsPolicy cors(NodeSettings settings) {
        return new CorsPolicy(settings.value(NodeScopeSettings.HTTP_CORS_ENABLED),
                settings.value(NodeScopeSettings.HTTP_CORS_ALLOW_ORIGIN),
                settings.value(NodeScopeSettings.HTTP_CORS_ALLOW_CREDENTIALS),
                settings.value(NodeScopeSettings.HTTP_CORS_ALLOW_HEADERS),
                settings.value(NodeScopeSettings.HTTP_CORS_ALLOW_METHODS));
    }
}
