package io.kccr.cli;

import com.fasterxml.jackson.databind.JsonNode;

import io.kccr.node.Node;
import io.kccr.node.settings.NodeSettings;
import io.kccr.node.sample.SampleData;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kccr quickstart}: in one process, an embedded Kafka broker, a leader cluster and a follower cluster that
 * knows it as remote {@code leader}; loads the GeoNames sample into the leader, follows it over HTTP as a user
 * would, shows a few live updates crossing over, the stats, and runs until Ctrl-C.
 */
@Command(name = "quickstart",
        mixinStandardHelpOptions = true,
        versionProvider = Kccr.Version.class,
        sortOptions = false,
        headerHeading = "",
        header = "Run a leader and a follower cluster in one process, replicating the GeoNames sample.",
        description = {
                "Starts an embedded Kafka broker, a leader cluster 'leader' and a follower cluster 'follower' (whose"
                        + " remote cluster 'leader' is the first), loads the GeoNames sample (171,075 cities) into"
                        + " leader index 'geonames', and creates follower index 'geonames-follower' with"
                        + " PUT /geonames-follower/_ccr/follow?wait_for_active_shards=1, showing the bootstrap. Then"
                        + " it updates a few cities on the leader and shows each arrive on the follower, prints the"
                        + " follower's stats and the web console's URL, and runs until Ctrl-C.",
                "A second run on the same --data reuses both clusters: nothing is loaded or followed again.",
                "",
                "Examples:",
                "  kccr quickstart",
                "  kccr quickstart --data /tmp/kccr-demo --leader-port 9300 --follower-port 9301 --kafka-port 9392"})
final class QuickstartCommand implements Callable<Integer> {
    static final String LEADER_INDEX = SampleData.INDEX;
    static final String FOLLOWER_INDEX = SampleData.INDEX + "-follower";
    static final String REMOTE = "leader";

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "<dir>", defaultValue = "./quickstart-data",
            description = "Where both clusters and the broker keep their data (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--leader-port", paramLabel = "<port>", defaultValue = "9200",
            description = "HTTP port of the leader cluster (default: ${DEFAULT-VALUE}; 0: any free port).")
    int leaderPort;

    @Option(names = "--follower-port", paramLabel = "<port>", defaultValue = "9201",
            description = "HTTP port of the follower cluster (default: ${DEFAULT-VALUE}; 0: any free port).")
    int followerPort;

    @Option(names = "--kafka-port", paramLabel = "<port>", defaultValue = "9092",
            description = "Port of the embedded Kafka broker (default: ${DEFAULT-VALUE}; 0: any free port).")
    int kafkaPort;

    @Option(names = "--sample-docs", hidden = true, paramLabel = "<n>", defaultValue = "" + Integer.MAX_VALUE,
            description = "Load only the first n sample documents (for tests).")
    int sampleDocs;

    @Option(names = "--exit-when-done", hidden = true,
            description = "Stop both clusters and exit once the updates and stats are shown (for tests).")
    boolean exitWhenDone;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Clusters clusters = new Clusters();
        Thread hook = new Thread(clusters::close, "kccr-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            clusters.start(out);
            NodeClient leader = new NodeClient(clusters.leader.httpAddress(), clusters.authorization, null);
            NodeClient follower = new NodeClient(clusters.follower.httpAddress(), clusters.authorization, null);

            clusters.leader.loadSampleData(lines(out), sampleDocs);
            follow(follower, out);
            new LiveUpdates(leader, LEADER_INDEX, follower, FOLLOWER_INDEX, out).run(3);

            out.println();
            out.println("GET " + follower.url() + "/" + FOLLOWER_INDEX + "/_ccr/stats, in short:");
            JsonNode stats = follower.get("/" + FOLLOWER_INDEX + "/_ccr/stats");
            out.print(StatsCommand.table(stats.path("indices"),
                    StatsCommand.statuses(follower.get("/" + FOLLOWER_INDEX + "/_ccr/info")),
                    Map.of(FOLLOWER_INDEX, StatsCommand.count(follower, FOLLOWER_INDEX))));
            out.println();
            out.println("web console: " + follower.url() + "/ (log in as elastic)");
            out.println("try: bin/kccr lag    bin/kccr stats " + FOLLOWER_INDEX + "    curl --netrc-file "
                    + data.resolve(QuickstartCredentials.NETRC) + " '" + follower.url() + "/" + FOLLOWER_INDEX
                    + "/_search?q=name:paris&pretty'");
            if (exitWhenDone) {
                out.flush();
                return 0;
            }
            out.println("running until Ctrl-C");
            out.flush();
            clusters.stopped.await(); // the shutdown hook closes both clusters
            return 0;
        } finally {
            if (!clusters.closing.get()) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook closes them
                }
                clusters.close();
            }
        }
    }

    /** Creates the follower index unless it exists (a second run); either way returns once it is active. */
    private static void follow(NodeClient follower, PrintWriter out) throws InterruptedException {
        JsonNode info;
        try {
            info = FollowerWatch.info(follower, FOLLOWER_INDEX);
        } catch (NodeError e) {
            if (e.status() != 404) {
                throw e;
            }
            FollowCommand.follow(follower, out, REMOTE, LEADER_INDEX, FOLLOWER_INDEX, true, true);
            return;
        }
        String status = info.path("detailed_status").asText();
        out.println("follower index [" + FOLLOWER_INDEX + "] exists already (status " + status + ")");
        if (status.equals("paused")) {
            follower.post("/" + FOLLOWER_INDEX + "/_ccr/resume_follow", NodeClient.object());
            out.println("resumed [" + FOLLOWER_INDEX + "]");
            out.flush();
            return;
        }
        if (!status.equals("bootstrapping")) {
            return;
        }
        String reached = new FollowerWatch(follower, FOLLOWER_INDEX, Progress.on(out))
                .await(Set.of("bootstrapping"), "bootstrapping [" + FOLLOWER_INDEX + "]", null);
        out.println("follower index [" + FOLLOWER_INDEX + "] is " + reached);
        out.flush();
    }

    /** A PrintStream that hands each line to {@code out} (the node's sample loader prints to a stream). */
    static PrintStream lines(PrintWriter out) {
        return new PrintStream(new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                if (b == '\n') {
                    out.println(line.toString(StandardCharsets.UTF_8).stripTrailing());
                    out.flush();
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** The two nodes (the leader's owns the broker); closed once, follower first, by the hook or on the way out. */
    private final class Clusters {
        final AtomicBoolean closing = new AtomicBoolean();
        final CountDownLatch stopped = new CountDownLatch(1);
        volatile Node leader;
        volatile Node follower;
        volatile String authorization;

        void start(PrintWriter out) throws Exception {
            Path dir = data.toAbsolutePath().normalize();
            QuickstartCredentials credentials = QuickstartCredentials.in(dir);
            Map<String, String> leaderSettings = new LinkedHashMap<>();
            leaderSettings.put("cluster.name", "leader");
            leaderSettings.put("node.name", "leader-1");
            leaderSettings.put("path.data", dir.resolve("leader").toString());
            leaderSettings.put("http.port", Integer.toString(leaderPort));
            leaderSettings.put("kafka.embedded.port", Integer.toString(kafkaPort));
            leaderSettings.put("bootstrap.password", credentials.password());
            leader = Node.start(NodeSettings.of(leaderSettings));
            out.println("leader cluster [leader] ready: " + leader.httpAddress() + " (embedded Kafka broker "
                    + leader.kafkaBootstrapServers() + ", data " + dir + ")");
            out.flush();
            authorization = Credentials.basic("elastic", credentials.password());
            String remoteKey = credentials.remoteKey(new NodeClient(leader.httpAddress(), authorization, null));

            Map<String, String> followerSettings = new LinkedHashMap<>();
            followerSettings.put("cluster.name", "follower");
            followerSettings.put("node.name", "follower-1");
            followerSettings.put("path.data", dir.resolve("follower").toString());
            followerSettings.put("http.port", Integer.toString(followerPort));
            followerSettings.put("kafka.bootstrap.servers", leader.kafkaBootstrapServers());
            followerSettings.put("ccr.topic.prefix", "follower");
            followerSettings.put("ccr.topic.allow_unsafe_durability", "true"); // the leader's embedded single broker
            followerSettings.put("cluster.remote." + REMOTE + ".seeds",
                    java.net.URI.create(leader.httpAddress()).getAuthority());
            followerSettings.put("cluster.remote." + REMOTE + ".credentials", remoteKey);
            followerSettings.put("bootstrap.password", credentials.password());
            follower = Node.start(NodeSettings.of(followerSettings));
            out.println("follower cluster [follower] ready: " + follower.httpAddress() + " (remote cluster ["
                    + REMOTE + "] = " + leader.httpAddress() + ")");
            credentials.check(new NodeClient(follower.httpAddress(), authorization, null));
            out.println(credentials.banner(data.resolve(QuickstartCredentials.NETRC)));
            out.flush();
        }

        void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            try {
                if (follower != null) {
                    follower.close();
                }
            } finally {
                try {
                    if (leader != null) {
                        leader.close();
                    }
                } finally {
                    stopped.countDown();
                }
            }
        }
    }
}
