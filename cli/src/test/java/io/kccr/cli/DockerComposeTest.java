package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.node.settings.NodeSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * {@code docker/}: the compose file's services and ports agree with the nodes' settings, every node argument is one
 * {@code kccr node} accepts (parsed by the real command line and settings parser), the nodes reach Kafka and each
 * other by service name, Prometheus scrapes both nodes' {@code /metrics}, Grafana's datasource and dashboard are
 * wired and query only the metrics the nodes export, and the Dockerfile copies what the build produces.
 */
class DockerComposeTest {
    private static final Set<String> METRICS = Set.of(
            "kccr_follower_ops_lag", "kccr_follower_lag_seconds", "kccr_follower_consumer_lag_records",
            "kccr_follower_ops_applied_total", "kccr_follower_ops_skipped_total",
            "kccr_follower_bootstrap_bytes_recovered", "kccr_follower_bootstrap_bytes_total", "kccr_follower_status",
            "kccr_leader_ops_published_total", "kccr_leader_max_seq_no");
    /** A timer: Prometheus has its {@code _count}, {@code _sum} (and {@code _max}, {@code _bucket}) series. */
    private static final String TIMER = "kccr_leader_publish_latency_seconds";
    private static final Pattern METRIC = Pattern.compile("\\bkccr_[a-z_]+\\b");

    private final JsonNode compose = DockerFiles.compose();
    private final JsonNode services = compose.path("services");

    @Test
    void servicesExist() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("kafka", "leader", "follower", "prometheus", "grafana");
        assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:");
        assertThat(services.at("/leader/build/dockerfile").asText()).isEqualTo("docker/Dockerfile");
        assertThat(DockerFiles.docker().resolve(services.at("/leader/build/context").asText())
                .resolve(services.at("/leader/build/dockerfile").asText()).normalize())
                .isEqualTo(DockerFiles.docker().resolve("Dockerfile"));
        assertThat(services.at("/follower/image").asText()).isEqualTo(services.at("/leader/image").asText());
    }

    @Test
    void nodeArgumentsAreSettingsTheNodeAccepts() throws IOException {
        for (String node : List.of("leader", "follower")) {
            // throws on an unknown option, an unknown setting, a bad value or a setting given twice
            NodeSettings settings = DockerFiles.nodeSettings(services.path(node));
            assertThat(settings.httpHost()).as(node).isEqualTo("0.0.0.0");
            assertThat(settings.securityEnabled()).as(node + ": security on").isTrue();
            assertThat(settings.httpSslEnabled()).as(node + ": TLS decided by the bind address (on)").isEmpty();
            assertThat(services.path(node).at("/environment/ELASTIC_PASSWORD").asText()).as(node + ": from docker/.env")
                    .startsWith("${ELASTIC_PASSWORD:?");
            assertThat(settings.kafkaBootstrapServers()).as(node + ": uses the compose Kafka").isPresent();
        }
        assertThat(DockerFiles.nodeCommand(services.path("leader")).sampleData)
                .as("the leader loads geonames, which docker/README.md follows").isTrue();
        NodeSettings leader = DockerFiles.nodeSettings(services.path("leader"));
        NodeSettings follower = DockerFiles.nodeSettings(services.path("follower"));
        assertThat(leader.topicPrefix()).as("two clusters on one Kafka need topic prefixes of their own")
                .isNotEqualTo(follower.topicPrefix());
        assertThat(leader.clusterName()).isNotEqualTo(follower.clusterName());
    }

    @Test
    void publishedPortsAndHealthCheckPortMatchHttpPort() throws IOException {
        Map<String, Integer> expected = Map.of("leader", 9200, "follower", 9201);
        for (String node : expected.keySet()) {
            JsonNode service = services.path(node);
            int httpPort = DockerFiles.nodeSettings(service).httpPort();
            assertThat(httpPort).as(node).isEqualTo(expected.get(node));
            assertThat(DockerFiles.ports(service)).as(node + " ports")
                    .anySatisfy(p -> assertThat(p).containsExactly(httpPort, httpPort));
            assertThat(service.at("/environment/KCCR_HTTP_PORT").asText()).as(node + ": the health check's port")
                    .isEqualTo(Integer.toString(httpPort));
        }
    }

    @Test
    void nodesReachKafkaAndTheLeaderByServiceName() throws IOException {
        JsonNode kafkaEnv = services.at("/kafka/environment");
        assertThat(kafkaEnv.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        Map<String, String> advertised = listeners(kafkaEnv.path("KAFKA_ADVERTISED_LISTENERS").asText());
        Map<String, String> bound = listeners(kafkaEnv.path("KAFKA_LISTENERS").asText());
        String inNetwork = kafkaEnv.path("KAFKA_INTER_BROKER_LISTENER_NAME").asText("PLAINTEXT");
        assertThat(advertised.get(inNetwork)).as("the in-network listener advertises the service name")
                .isEqualTo("kafka:" + port(bound.get(inNetwork)));
        assertThat(kafkaEnv.path("KAFKA_CONTROLLER_QUORUM_VOTERS").asText())
                .isEqualTo("1@kafka:" + port(bound.get(kafkaEnv.path("KAFKA_CONTROLLER_LISTENER_NAMES").asText())));
        for (String node : List.of("leader", "follower")) {
            assertThat(DockerFiles.nodeSettings(services.path(node)).kafkaBootstrapServers()).as(node)
                    .contains(advertised.get(inNetwork));
            assertThat(dependsOn(services.path(node))).as(node).contains("kafka");
        }
        NodeSettings follower = DockerFiles.nodeSettings(services.path("follower"));
        int leaderPort = DockerFiles.nodeSettings(services.path("leader")).httpPort();
        assertThat(follower.asMap()).containsEntry("cluster.remote.leader.seeds", "https://leader:" + leaderPort)
                .containsEntry("cluster.remote.leader.ssl.certificate_authorities", "/leader/data/certs/http_ca.crt");
        assertThat(services.at("/follower/volumes").toString()).contains("leader-data:/leader:ro");
        assertThat(dependsOn(services.path("follower"))).contains("leader");
    }

    @Test
    void prometheusScrapesBothNodesMetrics() throws IOException {
        assertThat(services.at("/prometheus/volumes").toString()).contains("./prometheus/prometheus.yml:");
        JsonNode config = DockerFiles.yaml(DockerFiles.docker().resolve("prometheus/prometheus.yml"));
        Set<String> scraped = new HashSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
            for (JsonNode group : job.path("static_configs")) {
                group.path("targets").forEach(t -> scraped.add(t.asText()));
            }
        }
        Set<String> nodes = new HashSet<>();
        for (String node : List.of("leader", "follower")) {
            nodes.add(node + ":" + DockerFiles.nodeSettings(services.path(node)).httpPort());
        }
        assertThat(scraped).isEqualTo(nodes);
        // over HTTPS with the node's CA, with an API key that holds monitor only (made by setup.sh)
        String setup = Files.readString(DockerFiles.docker().resolve("setup.sh"));
        assertThat(setup).contains("{\"name\":\"prometheus\",\"role_descriptors\":{\"metrics\":{\"cluster\":[\"monitor\"]}}}")
                .doesNotContain("-u elastic");
        for (JsonNode job : config.path("scrape_configs")) {
            assertThat(job.path("scheme").asText()).isEqualTo("https");
            assertThat(job.at("/authorization/type").asText()).isEqualTo("ApiKey");
            assertThat(job.at("/authorization/credentials_file").asText()).startsWith("/keys/");
            assertThat(job.at("/tls_config/ca_file").asText()).endsWith("/data/certs/http_ca.crt");
        }
        assertThat(services.at("/prometheus/depends_on/setup/condition").asText())
                .isEqualTo("service_completed_successfully");
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndTheDashboard() throws IOException {
        Path grafana = DockerFiles.docker().resolve("grafana");
        JsonNode datasources = DockerFiles.yaml(grafana.resolve("provisioning/datasources/prometheus.yaml"));
        JsonNode prometheus = datasources.at("/datasources/0");
        assertThat(prometheus.path("type").asText()).isEqualTo("prometheus");
        int prometheusPort = DockerFiles.ports(services.path("prometheus")).get(0)[1];
        assertThat(prometheus.path("url").asText()).isEqualTo("http://prometheus:" + prometheusPort);

        Map<String, String> mounts = new HashMap<>();
        for (JsonNode v : services.at("/grafana/volumes")) {
            String[] parts = v.asText().split(":");
            mounts.put(parts[0], parts[1]);
        }
        assertThat(mounts).containsEntry("./grafana/provisioning", "/etc/grafana/provisioning");
        JsonNode providers = DockerFiles.yaml(grafana.resolve("provisioning/dashboards/kccr.yaml"));
        assertThat(providers.at("/providers/0/options/path").asText()).isEqualTo(mounts.get("./grafana/dashboards"));

        Set<String> referenced = new TreeSet<>();
        List<Path> dashboards;
        try (var files = Files.list(grafana.resolve("dashboards"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).toList();
        }
        assertThat(dashboards).isNotEmpty();
        for (Path file : dashboards) {
            JsonNode dashboard = DockerFiles.JSON.readTree(file.toFile());
            List<String> queries = new ArrayList<>();
            dashboard.findValues("expr").forEach(e -> queries.add(e.asText()));
            dashboard.findValues("definition").forEach(e -> queries.add(e.asText()));
            for (JsonNode datasource : dashboard.findValues("datasource")) {
                if (datasource.has("uid")) {
                    assertThat(datasource.path("uid").asText()).as(file + ": datasource")
                            .isEqualTo(prometheus.path("uid").asText());
                }
            }
            for (String query : queries) {
                Matcher m = METRIC.matcher(query);
                while (m.find()) {
                    referenced.add(m.group());
                }
            }
        }
        for (String metric : referenced) {
            assertThat(METRICS.contains(metric) || metric.matches(TIMER + "(_count|_sum|_max|_bucket)?"))
                    .as("dashboard metric [%s] is one the nodes export", metric).isTrue();
        }
        assertThat(referenced).as("lag in ops and seconds, apply rate, bootstrap progress").contains(
                "kccr_follower_ops_lag", "kccr_follower_lag_seconds", "kccr_follower_ops_applied_total",
                "kccr_follower_bootstrap_bytes_recovered", "kccr_follower_bootstrap_bytes_total");
    }

    @Test
    void dockerfileCopiesWhatTheBuildProduces() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(DockerFiles.root().resolve("cli/pom.xml").toFile());
        String finalName = pom.getElementsByTagName("finalName").item(0).getTextContent().strip();
        String libDir = pom.getElementsByTagName("outputDirectory").item(0).getTextContent().strip()
                .replace("${project.build.directory}", "cli/target");
        String classpathPrefix = pom.getElementsByTagName("classpathPrefix").item(0).getTextContent().strip();

        Map<String, String> copies = new HashMap<>();
        for (String[] i : DockerFiles.dockerfile()) {
            if (i[0].equals("COPY")) {
                String[] parts = i[1].split("\\s+");
                copies.put(parts[0].replaceAll("/$", ""), parts[1]);
            }
        }
        String jar = "cli/target/" + finalName + ".jar";
        assertThat(copies).containsKeys(jar, libDir);
        List<String> entrypoint = DockerFiles.entrypoint();
        String jarInImage = entrypoint.get(entrypoint.indexOf("-jar") + 1);
        assertThat(copies.get(jar)).isEqualTo(jarInImage);
        assertThat(copies.get(libDir).replaceAll("/$", ""))
                .as("the jar's manifest finds its libraries under " + classpathPrefix)
                .isEqualTo(Path.of(jarInImage).getParent().resolve(classpathPrefix).toString());
        String ignore = Files.readString(DockerFiles.docker().resolve("Dockerfile.dockerignore"));
        assertThat(ignore).contains("!" + jar, "!" + libDir);
    }

    @Test
    void imageRunsAsNonRootOnJre21PlusWithHealthCheckAndDataVolume() throws IOException {
        Matcher from = Pattern.compile("eclipse-temurin:(\\d+)-jre.*").matcher(DockerFiles.instruction("FROM"));
        assertThat(from.matches()).as("FROM an eclipse-temurin JRE").isTrue();
        int java = Integer.parseInt(from.group(1));
        assertThat(java).isGreaterThanOrEqualTo(21);
        List<String> entrypoint = DockerFiles.entrypoint();
        if (java >= 24) { // as bin/kccr: Kafka and Lucene use sun.misc.Unsafe and native access
            assertThat(entrypoint).contains("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED");
        }
        assertThat(DockerFiles.instruction("USER")).isNotIn("root", "0");
        String healthCheck = DockerFiles.instruction("HEALTHCHECK");
        String tool = healthCheck.replaceAll(".*CMD\\s+", "").split("\\s+")[0];
        assertThat(DockerFiles.dockerfile()).as("the base JRE image has no " + tool + ": the Dockerfile installs it")
                .anySatisfy(i -> assertThat(i[0] + " " + i[1]).matches("RUN .*install .*\\b" + tool + "\\b.*"));
        assertThat(healthCheck).contains("/_cluster/health");
        String volume = DockerFiles.instruction("VOLUME");
        for (String node : List.of("leader", "follower")) {
            NodeSettings settings = DockerFiles.nodeSettings(services.path(node));
            assertThat(settings.dataPath().toString()).as(node + ": path.data in the volume").startsWith(volume + "/");
            assertThat(services.path(node).path("volumes").toString()).contains(":" + volume);
        }
    }

    private static Map<String, String> listeners(String spec) {
        Map<String, String> out = new HashMap<>();
        for (String l : spec.split(",")) {
            String[] parts = l.strip().split("://");
            out.put(parts[0], parts[1]);
        }
        return out;
    }

    private static String port(String hostPort) {
        return hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }

    private static Set<String> dependsOn(JsonNode service) {
        Set<String> out = new HashSet<>();
        JsonNode d = service.path("depends_on");
        if (d.isArray()) {
            d.forEach(n -> out.add(n.asText()));
        } else {
            d.fieldNames().forEachRemaining(out::add);
        }
        return out;
    }
}
