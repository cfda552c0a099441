package io.kccr.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.node.Node;
import io.kccr.node.NodeStartException;
import io.kccr.node.security.HttpCertificates;
import io.kccr.testkit.Http;
import io.kccr.testkit.KafkaBroker;
import io.kccr.testkit.TestNode;
import io.kccr.testkit.TestTls;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes of a secured cluster with TLS on their REST APIs, from certificates of one CA (as {@code kccr certutil}
 * makes them): writes forwarded to the other node's primaries and searches fanned out to its shards go over HTTPS,
 * each node trusting the other through the shared CA. A node whose certificate it generated itself is refused in a
 * cluster, with what to give instead.
 */
class ClusterTlsIT {
    @RegisterExtension
    static final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path data;

    private TestNode node(String name, Path certs) {
        return TestNode.on(kafka).secured().dir(data.resolve(name)).name(name).cluster("tls").topicPrefix("tls")
                .setting("discovery.type", "multi-node")
                .setting("xpack.security.http.ssl.certificate", certs.resolve("http.crt").toString())
                .setting("xpack.security.http.ssl.key", certs.resolve("http.key").toString())
                .setting("xpack.security.http.ssl.certificate_authorities", certs.resolve("http_ca.crt").toString());
    }

    @Test
    void nodesWithCertificatesOfOneCaForwardAndFanOutOverHttps() throws Exception {
        Path certs = data.resolve("certs");
        HttpCertificates.generate(certs, List.of("localhost"), List.of("127.0.0.1"), "tls");
        TestTls.trust(certs.resolve("http_ca.crt"));
        try (Node n1 = node("n1", certs).start(); Node n2 = node("n2", certs).start()) {
            assertThat(n1.httpAddress()).startsWith("https://");
            Http h1 = new Http(n1.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
            Http h2 = new Http(n2.httpAddress()).as("elastic", TestNode.ELASTIC_PASSWORD);
            Http.expect(200, h1.put("/tls", "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0}}"),
                    "create");
            Http.expect(200, h2.get("/_cluster/health?wait_for_status=green&wait_for_nodes=2&timeout=60s"), "green");
            assertThat(Http.expect(200, h1.get("/_cat/shards/tls?format=json"), "shards").json())
                    .extracting(r -> r.path("node").asText()).as("a primary on each node").contains("n1", "n2");
            for (int i = 0; i < 20; i++) {
                Http.expect(201, h1.put("/tls/_doc/d" + i, "{\"i\":" + i + "}"), "write d" + i);
            }
            Http.expect(200, h1.post("/tls/_refresh", ""), "refresh");
            assertThat(Http.expect(200, h2.get("/tls/_count"), "count").json().path("count").asInt()).isEqualTo(20);
        }
    }

    @Test
    void aNodeWithACertificateItGeneratedIsRefusedInACluster() {
        assertThatThrownBy(() -> TestNode.on(kafka).secured().dir(data.resolve("g")).name("g").cluster("gen")
                .topicPrefix("gen").setting("discovery.type", "multi-node")
                .setting("xpack.security.http.ssl.enabled", "true").start().close())
                .isInstanceOf(NodeStartException.class)
                .hasMessageContaining("signed by one CA")
                .hasMessageContaining("xpack.security.http.ssl.certificate");
    }
}
