package io.kccr.cli;

import io.kccr.node.Node;

/** What a node's first start tells about its security: the generated {@code elastic} password, once, and its CA. */
final class SecurityBanner {
    private SecurityBanner() {
    }

    /** The lines to print after the node's ready line (possibly none). */
    static String text(Node node, String resetCommand) {
        StringBuilder out = new StringBuilder();
        String nl = System.lineSeparator();
        if (!node.settings().securityEnabled()) {
            return "security is off (xpack.security.enabled: false): every request is served without credentials" + nl;
        }
        node.generatedElasticPassword().ifPresent(password -> out.append("security is on. The password of the"
                + " built-in superuser [elastic] was generated and is shown only now:").append(nl)
                .append("  elastic: ").append(password).append(nl)
                .append("  to set another: ").append(resetCommand).append(nl));
        node.tls().ifPresent(tls -> {
            out.append("HTTPS: ").append(tls.generated() ? "certificates generated under " : "CA ")
                    .append(tls.caCertificate() == null ? "(in the key store)" : tls.caCertificate().toString());
            if (tls.caFingerprint() != null) {
                out.append(nl).append("  CA certificate SHA-256 fingerprint: ").append(tls.caFingerprint());
            }
            out.append(nl);
        });
        return out.toString();
    }
}
