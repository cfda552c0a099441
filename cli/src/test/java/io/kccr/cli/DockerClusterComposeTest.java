package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/cluster/compose.yaml}: two clusters of three nodes, each node's arguments valid for {@code kccr
 * node} (parsed by the real parsers), the nodes of a cluster sharing its name and topic prefix with
 * {@code discovery.type: multi-node}, publishing the host name the others reach them at, with certificates from the
 * {@code certs} service that name every node, and the follower cluster knowing every leader node as a seed.
 */
class DockerClusterComposeTest {
    private final JsonNode services = DockerFiles.yaml(DockerFiles.docker().resolve("cluster/compose.yaml"))
            .path("services");

    private List<String> nodes(String cluster) {
        List<String> out = new ArrayList<>();
        services.fieldNames().forEachRemaining(n -> {
            if (n.startsWith(cluster + "-")) {
                out.add(n);
            }
        });
        return out;
    }

    @Test
    void twoClustersOfThreeNodesWithValidSettings() throws IOException {
        Set<Integer> hostPorts = new HashSet<>();
        for (String cluster : List.of("leader", "follower")) {
            List<String> nodes = nodes(cluster);
            assertThat(nodes).hasSize(3);
            Set<String> prefixes = new HashSet<>();
            for (String node : nodes) {
                JsonNode service = services.path(node);
                NodeSettings s = DockerFiles.nodeSettings(service);
                assertThat(s.clusterName()).as(node).isEqualTo(cluster);
                assertThat(s.singleNode()).as(node + ": a member of a cluster").isFalse();
                assertThat(s.httpPublishHost()).as(node + ": reached by its service name").contains(node);
                assertThat(service.path("hostname").asText()).isEqualTo(node);
                assertThat(s.securityEnabled()).as(node).isTrue();
                assertThat(s.asMap()).containsEntry("xpack.security.http.ssl.certificate", "/certs/http.crt")
                        .containsEntry("xpack.security.http.ssl.key", "/certs/http.key")
                        .containsEntry("xpack.security.http.ssl.certificate_authorities", "/certs/http_ca.crt");
                assertThat(service.at("/environment/KCCR_HTTP_CA").asText()).as(node + ": the health check's CA")
                        .isEqualTo("/certs/http_ca.crt");
                assertThat(service.at("/environment/KCCR_HTTP_PORT").asText())
                        .isEqualTo(Integer.toString(s.httpPort()));
                assertThat(service.path("volumes").toString()).contains("certs:/certs:ro");
                assertThat(service.at("/depends_on/certs/condition").asText())
                        .isEqualTo("service_completed_successfully");
                prefixes.add(s.topicPrefix());
                DockerFiles.ports(service).forEach(p -> assertThat(hostPorts.add(p[0])).as("host port " + p[0])
                        .isTrue());
            }
            assertThat(prefixes).as(cluster + ": one topic prefix").hasSize(1);
        }
        assertThat(DockerFiles.nodeSettings(services.path("leader-1")).topicPrefix())
                .isNotEqualTo(DockerFiles.nodeSettings(services.path("follower-1")).topicPrefix());
    }

    @Test
    void theCertificateNamesEveryNodeAndTheFollowersKnowEveryLeaderNode() throws IOException {
        String certutil = services.at("/certs/command/0").asText();
        assertThat(certutil).contains("certutil --out /certs");
        for (String node : List.of("leader-1", "leader-2", "leader-3", "follower-1", "follower-2", "follower-3")) {
            assertThat(certutil).as("the certificate names " + node).containsPattern("--dns [^ ]*\\b" + node + "\\b");
        }
        List<String> leaders = nodes("leader");
        for (String follower : nodes("follower")) {
            Map<String, String> s = DockerFiles.nodeSettings(services.path(follower)).asMap();
            String seeds = s.get("cluster.remote.leader.seeds");
            for (String leader : leaders) {
                int port = DockerFiles.nodeSettings(services.path(leader)).httpPort();
                assertThat(seeds).as(follower).contains("https://" + leader + ":" + port);
            }
            assertThat(s).containsEntry("cluster.remote.leader.ssl.certificate_authorities", "/certs/http_ca.crt");
        }
        assertThat(services.at("/setup/environment/LEADER").asText()).startsWith("https://leader-");
    }
}
