package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kccr.node.security.HttpCertificates;
import io.kccr.node.security.TlsIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kccr certutil}: a CA and a certificate for every name given, loadable as a node loads them; never overwrites. */
class CertutilCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesACaAndACertificateForTheNamesGivenAndOverwritesNothing() throws Exception {
        Path out = dir.resolve("certs");
        Cli first = Cli.run("certutil", "--out", out.toString(), "--dns", "n1,n2,localhost", "--ip", "127.0.0.1");
        assertThat(first.code()).as(first.err()).isZero();
        TlsIdentity tls = HttpCertificates.fromPem(out.resolve("http.crt"), out.resolve("http.key"),
                out.resolve("http_ca.crt"));
        X509Certificate cert = (X509Certificate) tls.keyStore().getCertificate("http");
        List<String> names = new ArrayList<>();
        cert.getSubjectAlternativeNames().forEach(n -> names.add(String.valueOf(n.get(1))));
        assertThat(names).contains("n1", "n2", "localhost", "127.0.0.1");
        assertThat(Files.getPosixFilePermissions(out.resolve("http.key")).toString()).doesNotContain("OTHERS", "GROUP");

        byte[] key = Files.readAllBytes(out.resolve("http.key"));
        Cli again = Cli.run("certutil", "--out", out.toString(), "--dns", "other");
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("exists").contains("nothing was written");
        assertThat(Files.readAllBytes(out.resolve("http.key"))).isEqualTo(key);
    }
}
