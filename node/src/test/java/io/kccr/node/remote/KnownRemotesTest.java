package io.kccr.node.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownRemotesTest {
    @TempDir
    Path dir;

    private static RemoteCluster remote(String name, String... seeds) {
        return new RemoteCluster(name, List.of(seeds), null, null, null, Map.of("sasl.jaas.config", "secret"));
    }

    @Test
    void theLastAnswerIsKeptAcrossInstancesAndUsedOnlyWhileTheAddressesAreTheSame() throws IOException {
        Path file = dir.resolve("known_remotes.json");
        RemoteCluster leader = remote("leader", "http://10.0.0.1:9200", "http://10.0.0.2:9200");
        new KnownRemotes(file).remember(new DiscoveredRemote(leader, "http://10.0.0.1:9200", "dc1", "uuid-1",
                "10.0.0.1:9092", "ccr"));
        new KnownRemotes(file).remember(new DiscoveredRemote(remote("other", "http://10.0.1.1:9200"),
                "http://10.0.1.1:9200", "dc2", "uuid-2", "10.0.1.1:9092", "dc2"));

        KnownRemotes restarted = new KnownRemotes(file); // a node that starts again
        DiscoveredRemote last = restarted.last(leader).orElseThrow();
        assertThat(last.bootstrapServers()).isEqualTo("10.0.0.1:9092");
        assertThat(last.topicPrefix()).isEqualTo("ccr");
        assertThat(last.httpAddress()).isEqualTo("http://10.0.0.1:9200");
        assertThat(last.config()).isEqualTo(leader);
        assertThat(restarted.last(remote("other", "http://10.0.1.1:9200")).orElseThrow().topicPrefix())
                .isEqualTo("dc2");
        assertThat(restarted.last(remote("leader", "http://10.0.0.3:9200"))).as("moved: the answer is not its")
                .isEmpty();
        assertThat(restarted.last(remote("unknown", "http://10.0.0.1:9200"))).isEmpty();
        assertThat(Files.readString(file)).as("what the remote answered, never its credentials")
                .doesNotContain("secret").doesNotContain("sasl");
    }

    @Test
    void anUnreadableFileKnowsNothingAndIsReplacedByTheNextAnswer() throws IOException {
        Path file = dir.resolve("known_remotes.json");
        Files.writeString(file, "{not json");
        RemoteCluster leader = remote("leader", "http://10.0.0.1:9200");
        KnownRemotes known = new KnownRemotes(file);
        assertThat(known.last(leader)).isEmpty();
        known.remember(new DiscoveredRemote(leader, null, "dc1", "uuid-1", "10.0.0.1:9092", "ccr"));
        assertThat(known.last(leader).orElseThrow().httpAddress()).as("none was answered").isNull();
    }

    @Test
    void anAnswerPassedOnByAnotherNodeIsTakenOnlyForTheSameAddresses() {
        RemoteCluster leader = remote("leader", "http://10.0.0.1:9200");
        DiscoveredRemote answer = new DiscoveredRemote(leader, "http://10.0.0.1:9200", "dc1", "uuid-1",
                "10.0.0.1:9092", "ccr");
        com.fasterxml.jackson.databind.node.ObjectNode json = KnownRemotes.toJson(answer);
        assertThat(json.toString()).doesNotContain("secret");
        assertThat(KnownRemotes.fromJson(leader, json)).contains(answer);
        assertThat(KnownRemotes.fromJson(remote("leader", "http://10.0.0.9:9200"), json))
                .as("this node's settings name other addresses: not its remote").isEmpty();
        assertThat(KnownRemotes.fromJson(leader, json.deepCopy().put("bootstrap_servers", ""))).isEmpty();
        assertThat(KnownRemotes.fromJson(leader, null)).isEmpty();
    }
}
