package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kccr.testkit.Http;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/compose.yaml} for real, where a Docker engine runs ({@code docker info} succeeds; skipped with a
 * message elsewhere): builds the node image from the packaged jar, starts the setup and waits for it to be healthy,
 * follows the leader's {@code geonames} from the follower as docker/README.md does, waits until the follower holds
 * as many documents as the leader and Prometheus scrapes both nodes, then removes everything it started, volumes
 * included.
 */
class DockerComposeIT {
    private static final Duration UP = Duration.ofMinutes(10);
    private static final Duration CONVERGE = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String PASSWORD = "compose-test-password";

    @Test
    void followsTheLeadersSampleIndex() throws Exception {
        Assumptions.assumeTrue(run(Duration.ofSeconds(30), "docker", "info").exitCode() == 0,
                "no Docker engine here (docker info fails): skipping the docker/compose.yaml run");
        Assumptions.assumeTrue(run(Duration.ofSeconds(30), "docker", "compose", "version").exitCode() == 0,
                "no docker compose plugin here: skipping the docker/compose.yaml run");
        Path jar = DockerFiles.root().resolve("cli/target/kccr.jar");
        assertThat(jar).as("the image copies the packaged jar: run this test in the verify phase").exists();

        String project = "kccr-it-" + ProcessHandle.current().pid();
        List<String> compose = List.of("docker", "compose", "-p", project, "-f",
                DockerFiles.docker().resolve("compose.yaml").toString());
        try {
            Result up = run(UP, concat(compose, "up", "-d", "--build", "--wait"));
            assertThat(up.exitCode()).as("docker compose up:\n%s", up.output()).isZero();
            // security and TLS are on: trust each node's generated CA, and authenticate as elastic
            for (String node : List.of("leader", "follower")) {
                Path ca = Files.createTempFile(node + "-ca-", ".crt");
                Result cp = run(Duration.ofSeconds(60), concat(compose, "cp",
                        node + ":/var/lib/kccr/data/certs/http_ca.crt", ca.toString()));
                assertThat(cp.exitCode()).as("copy the CA of %s:\n%s", node, cp.output()).isZero();
                io.kccr.testkit.TestTls.trust(ca);
            }

            await("the leader's geonames to have documents").atMost(CONVERGE).pollInterval(POLL)
                    .until(() -> count("https://localhost:9200/geonames") > 0);
            JsonNode follow = request("PUT", "https://localhost:9201/geonames-follower/_ccr/follow"
                    + "?wait_for_active_shards=1", "{\"remote_cluster\":\"leader\",\"leader_index\":\"geonames\"}");
            assertThat(follow.path("follow_index_created").asBoolean()).as("follow: %s", follow).isTrue();

            await("the follower to hold the leader's documents").atMost(CONVERGE).pollInterval(POLL).until(() -> {
                long leader = count("https://localhost:9200/geonames");
                return leader > 0 && count("https://localhost:9201/geonames-follower") == leader;
            });
            await("Prometheus to scrape both nodes").atMost(CONVERGE).pollInterval(POLL).until(() -> {
                JsonNode targets = request("GET", "http://localhost:9090/api/v1/targets", null);
                long up2 = 0;
                for (JsonNode t : targets.at("/data/activeTargets")) {
                    up2 += t.path("health").asText().equals("up") ? 1 : 0;
                }
                return up2 == 2;
            });
        } finally {
            Result down = run(Duration.ofMinutes(3), concat(compose, "down", "-v", "--remove-orphans"));
            if (down.exitCode() != 0) {
                System.err.println("docker compose down failed:\n" + down.output());
            }
        }
    }

    private static long count(String index) {
        try {
            return request("GET", index + "/_count", null).path("count").asLong(-1);
        } catch (RuntimeException notYet) {
            return -1;
        }
    }

    /** The JSON body of a 2xx answer to {@code method url}; else an IllegalStateException. */
    private static JsonNode request(String method, String url, String json) {
        Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json")
                .header("Authorization", Http.basic("elastic", PASSWORD))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json)).build());
        if (!r.ok()) {
            throw new IllegalStateException(r.toString());
        }
        return r.json();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command));
    }

    private static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("docker-", ".log");
        try {
            Process p;
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(DockerFiles.root().toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                builder.environment().put("ELASTIC_PASSWORD", PASSWORD); // what docker/.env gives compose
                p = builder.start();
            } catch (IOException noDocker) {
                return new Result(127, noDocker.toString());
            }
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                return new Result(-1, "timed out after " + timeout + ":\n" + Files.readString(log));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> out = new ArrayList<>(head);
        out.addAll(List.of(tail));
        return out;
    }
}
