package io.kccr.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code --url} option of the operator commands, which node's REST API they call, and how they authenticate. */
final class NodeUrl {
    static final String FOLLOWER_DEFAULT = "http://127.0.0.1:9201";

    @Option(names = "--url", paramLabel = "<url>", defaultValue = FOLLOWER_DEFAULT,
            description = "REST API of the follower cluster's node (default: ${DEFAULT-VALUE}).")
    String url;

    @Mixin
    Credentials credentials;

    NodeClient client() {
        return new NodeClient(url, credentials.authorization(url), credentials.sslContext());
    }
}
