package io.kccr.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kccr.core.io.StateFile;
import io.kccr.node.security.Passwords;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The quickstart's credentials, kept in its data folder, readable by their owner only (mode 600): {@value #NETRC}, the
 * {@code elastic} user's password in netrc form (which {@code bin/kccr} reads by default and {@code curl
 * --netrc-file} takes), made on the first run and shown once; and {@value #REMOTE_KEY}, the cross-cluster API key the
 * follower cluster authenticates to the leader with.
 */
final class QuickstartCredentials {
    static final String NETRC = "netrc";
    static final String REMOTE_KEY = "follower-remote-leader.key";

    private final Path dir;
    private final String password;
    private final boolean fresh;

    private QuickstartCredentials(Path dir, String password, boolean fresh) {
        this.dir = dir;
        this.password = password;
        this.fresh = fresh;
    }

    /** The credentials of the quickstart in {@code dir}: read, or made (and written) on the first run. */
    static QuickstartCredentials in(Path dir) throws IOException {
        Path netrc = dir.resolve(NETRC);
        if (Files.exists(netrc)) {
            String[] login = Credentials.netrcLogin(netrc, "127.0.0.1");
            if (login != null) {
                return new QuickstartCredentials(dir, login[1], false);
            }
        }
        String password = Passwords.generate(20);
        StateFile.write(netrc, ("default login elastic password " + password + "\n").getBytes(StandardCharsets.UTF_8),
                true);
        return new QuickstartCredentials(dir, password, true);
    }

    String password() {
        return password;
    }

    /** The follower's key for the leader: read, or made on the leader now and kept. */
    String remoteKey(NodeClient leader) throws IOException {
        Path file = dir.resolve(REMOTE_KEY);
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        ObjectNode body = NodeClient.object().put("name", "quickstart-follower");
        body.putObject("access").putArray("replication").addObject().putArray("names").add("*");
        String encoded = leader.post("/_security/cross_cluster/api_key", body).path("encoded").asText();
        StateFile.write(file, encoded.getBytes(StandardCharsets.UTF_8), true);
        return encoded;
    }

    /** Fails with what to do when the clusters have another {@code elastic} password than the file. */
    void check(NodeClient node) {
        try {
            node.get("/_security/_authenticate");
        } catch (NodeError e) {
            if (e.status() == 401) {
                throw new NodeError(401, "security_exception", "the clusters in [" + dir + "] have another password for"
                        + " user [elastic] than " + dir.resolve(NETRC) + "; set it again with bin/kccr reset-password"
                        + " -u elastic -E path.data=" + dir.resolve("leader") + " (and -E path.data=" + dir.resolve(
                        "follower") + "), then put it in that file, or start over with another --data");
            }
            throw e;
        }
    }

    /** What the quickstart prints about its credentials: the password only on the first run. */
    String banner(Path netrcAsGiven) {
        return fresh
                ? "security is on: user [elastic], password [" + password + "] (shown once; kept in " + netrcAsGiven
                + ", mode 600, which bin/kccr and curl --netrc-file read)"
                : "security is on: user [elastic], password in " + netrcAsGiven;
    }
}
