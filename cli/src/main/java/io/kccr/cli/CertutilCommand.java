package io.kccr.cli;

import io.kccr.node.security.HttpCertificates;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kccr certutil --out certs --dns n1,n2,n3}: a CA and an HTTP certificate it signed, for the nodes of a
 * cluster to share, as Elasticsearch's {@code elasticsearch-certutil http} makes them. The nodes of a cluster call
 * each other over HTTPS and trust the CA of their own certificate, so they need certificates of one CA; a node alone
 * generates its own on its first start.
 */
@Command(name = "certutil",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Make a CA and an HTTP certificate for the nodes of a cluster to share.",
        description = {
                "Writes http_ca.crt (the CA), http.crt (the certificate, then the CA) and http.key (its key, readable"
                        + " by the owner only) into the --out directory. Give every node the same three files:",
                "  -E xpack.security.http.ssl.certificate=<out>/http.crt -E xpack.security.http.ssl.key=<out>/http.key"
                        + " -E xpack.security.http.ssl.certificate_authorities=<out>/http_ca.crt",
                "Clients trust http_ca.crt (curl --cacert, a remote cluster's ssl.certificate_authorities).",
                "",
                "Examples:",
                "  kccr certutil --out certs --dns leader-1,leader-2,leader-3,localhost --ip 127.0.0.1"},
        footerHeading = "%n",
        footer = "Exit codes: 0 written, 1 failure, 2 usage error (or the files exist: nothing is overwritten).")
final class CertutilCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "<dir>", description = "Where the files go.")
    Path out;

    @Option(names = "--dns", required = true, split = ",", paramLabel = "<name>",
            description = "The host names the nodes are reached at (comma-separated; the first is the subject).")
    List<String> dns = new ArrayList<>();

    @Option(names = "--ip", split = ",", paramLabel = "<address>", description = "IP addresses, likewise.")
    List<String> ips = new ArrayList<>();

    @Option(names = "--name", defaultValue = "kccr", paramLabel = "<cluster>",
            description = "Named in the CA's subject (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        for (String file : List.of("http_ca.crt", "http.crt", "http.key")) {
            if (Files.exists(out.resolve(file))) {
                err.println("error: " + out.resolve(file) + " exists: nothing was written. Use the files there, or"
                        + " remove them (every node of the cluster then needs the new ones).");
                return 2;
            }
        }
        HttpCertificates.generate(out, dns, ips, name);
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out.resolve("http_ca.crt") + ", " + out.resolve("http.crt") + " and "
                + out.resolve("http.key") + " for " + String.join(", ", dns) + (ips.isEmpty() ? "" : ", "
                + String.join(", ", ips)));
        return 0;
    }
}
