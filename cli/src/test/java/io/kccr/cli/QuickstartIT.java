package io.kccr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kccr quickstart} end to end in its short mode (a few hundred sample documents, free ports, exit when done):
 * both clusters start, the follower bootstraps over HTTP and shows the live updates; a second run on the same data
 * directory reuses the index and the follower.
 */
class QuickstartIT {
    private static final int DOCS = 300;

    @TempDir
    Path data;

    private Cli quickstart() {
        return Cli.run("quickstart", "--data", data.toString(), "--leader-port", "0", "--follower-port", "0",
                "--kafka-port", "0", "--sample-docs", Integer.toString(DOCS), "--exit-when-done");
    }

    @Test
    void runsEndToEndAndReusesItsDataTheSecondTime() throws Exception {
        Cli first = quickstart();
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("leader cluster [leader] ready: http://127.0.0.1:")
                .contains("follower cluster [follower] ready: http://127.0.0.1:")
                .contains("loaded " + DOCS + " GeoNames cities into [geonames]")
                .contains("/geonames-follower/_ccr/follow?wait_for_active_shards=1"
                        + " {\"remote_cluster\":\"leader\",\"leader_index\":\"geonames\"}")
                .contains("bootstrapping [geonames-follower] 100.0%")
                .contains("follower index [geonames-follower] is active")
                .contains("web console: http://127.0.0.1:");
        assertLiveUpdatesAndStats(first.out());
        // secured: the password is shown once and kept, owner-only, where bin/kccr and curl --netrc-file read it
        Path netrc = data.resolve("netrc");
        assertThat(first.out()).contains("security is on: user [elastic], password [").contains("shown once");
        assertThat(java.nio.file.Files.getPosixFilePermissions(netrc))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String password = Credentials.netrcLogin(netrc, "127.0.0.1")[1];
        assertThat(first.out()).contains("password [" + password + "]");

        Cli second = quickstart();
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out())
                .contains("sample index [geonames] exists already (" + DOCS + " docs)")
                .contains("follower index [geonames-follower] exists already (status active)")
                .doesNotContain("_ccr/follow")
                .contains("security is on: user [elastic], password in ")
                .doesNotContain(password);
        assertLiveUpdatesAndStats(second.out());
    }

    /** Three updates crossed over, and the stats table shows every shard active with the documents. */
    private static void assertLiveUpdatesAndStats(String out) {
        List<String> lines = out.lines().toList();
        assertThat(lines.stream().filter(l -> l.startsWith("  leader   [geonames] "))).hasSize(3);
        assertThat(lines.stream().filter(l -> Pattern.matches("  follower \\[geonames-follower] has it \\d+ ms later",
                l))).hasSize(3);
        List<String> rows = lines.stream().filter(l -> l.startsWith("geonames-follower  ")).toList();
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(r).contains(" active "));
        assertThat(rows.getFirst()).endsWith(" " + DOCS);
    }
}
