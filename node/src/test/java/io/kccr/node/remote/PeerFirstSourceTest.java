package io.kccr.node.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kccr.core.recovery.RestoreManifest;
import io.kccr.follower.bootstrap.RestoreSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PeerFirstSourceTest {

    /** A source that opens sessions named after it on the index asked, or refuses, and records every call. */
    private static final class Recording implements RestoreSource {
        final String name;
        final boolean refuses;
        /** How many opens answer 503 (not whole yet) before it answers. */
        int notWholeFor;
        /** How many opens answer 404 (not opened yet) before it answers. */
        int notOpenedFor;
        final List<String> calls = new ArrayList<>();
        int opened;

        Recording(String name, boolean refuses) {
            this.name = name;
            this.refuses = refuses;
        }

        @Override
        public RestoreManifest open(String index) throws IOException {
            calls.add("open " + index);
            if (notOpenedFor-- > 0) {
                throw new HttpRestoreSource.Refused(404, name + " has not opened it yet");
            }
            if (notWholeFor-- > 0) {
                throw new HttpRestoreSource.Refused(503, name + " bootstraps itself");
            }
            if (refuses) {
                throw new IOException(name + " has no complete copy");
            }
            return new RestoreManifest(name + "-" + (++opened), index, JsonNodeFactory.instance.objectNode(),
                    List.of());
        }

        @Override
        public CompletableFuture<Void> read(String session, int shard, String file, long from, int length,
                                            ChunkSink sink) {
            calls.add("read " + session);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void release(String session) {
            calls.add("release " + session);
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    @Test
    void theHostsCopyIsCopiedWhenItHasOneAndNothingGoesToTheLeader() throws IOException {
        Recording peer = new Recording("peer", false);
        Recording leader = new Recording("leader", false);
        PeerFirstSource source = new PeerFirstSource(peer, "n2", "logs-f", leader, Duration.ofMillis(1), Duration.ofMinutes(1));
        try {
            RestoreManifest m = source.open("logs");
            assertThat(m.index()).as("the follower index, on its host").isEqualTo("logs-f");
            assertThat(source.peer()).isEqualTo("n2");
            source.read(m.sessionUuid(), 0, "_0.cfs", 0, 10, null);
            source.release(m.sessionUuid());
        } finally {
            source.close();
        }
        assertThat(peer.calls).containsExactly("open logs-f", "read peer-1", "release peer-1", "close");
        assertThat(leader.calls).containsExactly("close");
    }

    @Test
    void aHostWithNoCopyToGiveLeavesTheCopyToTheLeaderForTheRestOfTheJob() throws IOException {
        Recording peer = new Recording("peer", true);
        Recording leader = new Recording("leader", false);
        PeerFirstSource source = new PeerFirstSource(peer, "n2", "logs-f", leader, Duration.ofMillis(1), Duration.ofMinutes(1));
        try {
            RestoreManifest first = source.open("logs");
            assertThat(first.index()).isEqualTo("logs");
            assertThat(source.peer()).as("copied from the leader").isNull();
            source.read(first.sessionUuid(), 0, "_0.cfs", 0, 10, null);
            source.release(first.sessionUuid());
            RestoreManifest again = source.open("logs"); // a session gone: the job opens another
            assertThat(again.sessionUuid()).isEqualTo("leader-2");
        } finally {
            source.close();
        }
        assertThat(peer.calls).as("asked once").containsExactly("open logs-f", "close");
        assertThat(leader.calls).containsExactly("open logs", "read leader-1", "release leader-1", "open logs",
                "close");
    }

    @Test
    void aHostThatHasNotOpenedItYetIsWaitedFor() throws IOException {
        Recording peer = new Recording("peer", false);
        peer.notOpenedFor = 2;
        Recording leader = new Recording("leader", false);
        PeerFirstSource source = new PeerFirstSource(peer, "n2", "logs-f#1", leader, Duration.ofMillis(1),
                Duration.ofMinutes(1));
        assertThat(source.open("logs").sessionUuid()).isEqualTo("peer-1");
        assertThat(peer.calls).containsExactly("open logs-f#1", "open logs-f#1", "open logs-f#1");
        assertThat(leader.calls).isEmpty();
    }

    @Test
    void aHostStillBootstrappingIsWaitedForAndItsCopyCopied() throws IOException {
        Recording peer = new Recording("peer", false);
        peer.notWholeFor = 2;
        Recording leader = new Recording("leader", false);
        PeerFirstSource source = new PeerFirstSource(peer, "n2", "logs-f", leader, Duration.ofMillis(1),
                Duration.ofMinutes(1));
        assertThat(source.open("logs").sessionUuid()).isEqualTo("peer-1");
        assertThat(source.peer()).isEqualTo("n2");
        assertThat(peer.calls).containsExactly("open logs-f", "open logs-f", "open logs-f");
        assertThat(leader.calls).isEmpty();

        Recording slow = new Recording("peer", false);
        slow.notWholeFor = Integer.MAX_VALUE;
        PeerFirstSource impatient = new PeerFirstSource(slow, "n2", "logs-f", leader, Duration.ofMillis(1),
                Duration.ofMillis(20));
        assertThat(impatient.open("logs").sessionUuid()).as("the leader's, once waited long enough")
                .isEqualTo("leader-1");
        assertThat(impatient.peer()).isNull();
    }
}
