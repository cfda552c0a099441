package io.kccr.node.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The REST API's certificates, with Bouncy Castle: generated on a node's first start as Elasticsearch 8 does it (a CA
 * and an HTTP certificate it signs, for every name and address of this host, under {@code <path.data>/certs/}:
 * {@code http_ca.crt}, {@code http.crt}, {@code http.key} with mode 600; the CA's key is not kept), or read from the
 * operator's PEM files or PKCS#12 key store. Stateless.
 */
public final class HttpCertificates {
    /** Where generated certificates live under {@code path.data}. */
    public static final String DIR = "certs";
    private static final Duration VALIDITY = Duration.ofDays(3 * 365);
    private static final SecureRandom RANDOM = new SecureRandom();

    private HttpCertificates() {
    }

    /**
     * The certificates under {@code <data>/certs}, generated first when absent.
     *
     * @param host the bind address ({@code http.host}), added to the certificate's names
     */
    public static TlsIdentity generatedOrExisting(Path data, String host, String clusterName) throws IOException,
            GeneralSecurityException {
        Path dir = data.resolve(DIR);
        Path ca = dir.resolve("http_ca.crt");
        Path cert = dir.resolve("http.crt");
        Path key = dir.resolve("http.key");
        boolean generated = false;
        if (!Files.exists(ca) || !Files.exists(cert) || !Files.exists(key)) {
            generate(dir, dnsNames(host), ipAddresses(host), clusterName);
            generated = true;
        }
        TlsIdentity pem = fromPem(cert, key, ca);
        return new TlsIdentity(pem.keyStore(), pem.password(), ca, pem.caFingerprint(), generated);
    }

    /**
     * Writes a new CA ({@code http_ca.crt}) and a certificate it signed ({@code http.crt}, with the CA after it, and
     * its key {@code http.key}) for the names {@code dns} and addresses {@code ips} into {@code dir}: what a node
     * generates for itself on its first start, and what {@code kccr certutil} makes for the nodes of a cluster to
     * share (each trusts the one CA).
     */
    public static void generate(Path dir, java.util.Collection<String> dns, java.util.Collection<String> ips,
                                String clusterName) throws IOException, GeneralSecurityException {
        if (dns.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one DNS name");
        }
        Files.createDirectories(dir);
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048, RANDOM);
        KeyPair caKeys = rsa.generateKeyPair();
        KeyPair httpKeys = rsa.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=Kafka CCR HTTP CA (" + clusterName.replaceAll("[,=+<>#;\"\\\\]", "_")
                + ")");
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(caKeys.getPublic()));
        X509Certificate caCert = sign(caBuilder, caKeys.getPrivate());
        List<GeneralName> names = new ArrayList<>();
        for (String name : dns) {
            names.add(new GeneralName(GeneralName.dNSName, name));
        }
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        X509v3CertificateBuilder httpBuilder = new JcaX509v3CertificateBuilder(caCert, serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)),
                new X500Name("CN=" + dns.iterator().next()), httpKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature
                        | KeyUsage.keyEncipherment))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(
                        new GeneralName[0])))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCert));
        X509Certificate httpCert = sign(httpBuilder, caKeys.getPrivate());
        writePem(dir.resolve("http_ca.crt"), List.of(caCert), false);
        writePem(dir.resolve("http.crt"), List.of(httpCert, caCert), false);
        writePem(dir.resolve("http.key"), List.of(httpKeys.getPrivate()), true);
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws
            GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private static Set<String> dnsNames(String host) {
        Set<String> out = new LinkedHashSet<>();
        try {
            out.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // no host name: the addresses and localhost remain
        }
        out.add("localhost");
        if (!host.isEmpty() && !Character.isDigit(host.charAt(0)) && host.indexOf(':') < 0) {
            out.add(host);
        }
        return out;
    }

    private static Set<String> ipAddresses(String host) {
        Set<String> out = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    out.add(zone < 0 ? text : text.substring(0, zone));
                }
            }
        } catch (IOException e) {
            // loopback only
        }
        if (!host.isEmpty() && (Character.isDigit(host.charAt(0)) || host.indexOf(':') >= 0)
                && !host.equals("0.0.0.0") && !host.equals("::")) {
            out.add(host.replace("[", "").replace("]", ""));
        }
        return out;
    }

    private static void writePem(Path file, List<?> objects, boolean secret) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            for (Object o : objects) {
                pem.writeObject(o);
            }
        }
        io.kccr.core.io.StateFile.write(file, text.toString().getBytes(StandardCharsets.US_ASCII), secret);
    }

    /**
     * The identity of PEM files: {@code certificate} (the chain, leaf first), {@code key} (PKCS#8 or PKCS#1, not
     * encrypted), and optionally the CA file {@code certificateAuthorities} (else the chain's last certificate is
     * taken as the CA for the fingerprint).
     */
    public static TlsIdentity fromPem(Path certificate, Path key, Path certificateAuthorities) throws IOException,
            GeneralSecurityException {
        List<Certificate> chain = certificates(certificate);
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("[" + certificate + "] holds no PEM certificate");
        }
        PrivateKey privateKey;
        try (Reader r = Files.newBufferedReader(key, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            privateKey = switch (o) {
                case PEMKeyPair pair -> converter.getKeyPair(pair).getPrivate();
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case null, default -> throw new GeneralSecurityException("[" + key + "] is not an unencrypted PEM"
                        + " private key (PKCS#8 or PKCS#1)");
            };
        }
        char[] password = Passwords.randomToken(24).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("http", privateKey, password, chain.toArray(new Certificate[0]));
        Certificate ca = certificateAuthorities != null ? certificates(certificateAuthorities).getFirst()
                : chain.getLast();
        return new TlsIdentity(store, password, certificateAuthorities, fingerprint(ca), false);
    }

    /** The identity of a PKCS#12 key store (its CA, if it holds one, unknown). */
    public static TlsIdentity fromKeyStore(Path keyStore, char[] password) throws IOException,
            GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        return new TlsIdentity(store, password, null, null, false);
    }

    /**
     * The TLS context a node uses to call the other nodes of its cluster: it trusts the certificates of this node's
     * own chain and its CA file, so that nodes whose certificates one CA signed (or which share one certificate)
     * trust each other, and nothing else.
     */
    public static javax.net.ssl.SSLContext peerContext(TlsIdentity tls) throws IOException, GeneralSecurityException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        List<Certificate> anchors = new ArrayList<>();
        for (String alias : java.util.Collections.list(tls.keyStore().aliases())) {
            Certificate[] chain = tls.keyStore().getCertificateChain(alias);
            if (chain != null) {
                anchors.addAll(List.of(chain));
            } else if (tls.keyStore().getCertificate(alias) != null) {
                anchors.add(tls.keyStore().getCertificate(alias));
            }
        }
        if (tls.caCertificate() != null) {
            anchors.addAll(certificates(tls.caCertificate()));
        }
        for (int i = 0; i < anchors.size(); i++) {
            trusted.setCertificateEntry("peer-" + i, anchors.get(i));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), RANDOM);
        return context;
    }

    private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            return new ArrayList<>(certs);
        }
    }

    /** The SHA-256 fingerprint of {@code cert}, lowercase hex, as Elasticsearch prints it. */
    public static String fingerprint(Certificate cert) throws GeneralSecurityException {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }
}
