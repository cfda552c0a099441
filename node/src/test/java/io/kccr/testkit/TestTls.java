package io.kccr.testkit;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The tests' trust of the CAs their nodes generate: {@link Http} trusts the CAs registered with {@link #trust}
 * (each node's {@code certs/http_ca.crt}), and nothing else; host names are still verified. Thread-safe.
 */
public final class TestTls {
    private static final List<X509Certificate> CAS = new CopyOnWriteArrayList<>();

    private TestTls() {
    }

    /** Trusts the CA in PEM file {@code caFile} from now on. */
    public static void trust(Path caFile) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(caFile)) {
            CAS.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    static SSLContext trustingTestCertificates() {
        try {
            X509TrustManager trust = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                    throw new UnsupportedOperationException("a client's trust only");
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType)
                        throws java.security.cert.CertificateException {
                    current().checkServerTrusted(chain, authType);
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return CAS.toArray(new X509Certificate[0]);
                }
            };
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {trust}, null);
            return ssl;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509TrustManager current() throws java.security.cert.CertificateException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : CAS) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return (X509TrustManager) tmf.getTrustManagers()[0];
        } catch (Exception e) {
            throw new java.security.cert.CertificateException("no test CA to trust: " + e.getMessage(), e);
        }
    }
}
