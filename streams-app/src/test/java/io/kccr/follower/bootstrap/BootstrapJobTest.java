package io.kccr.follower.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kccr.core.recovery.RestoreManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.RateLimiter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BootstrapJob} against an in-memory leader: sessions, their loss, and the shards copied in parallel. */
class BootstrapJobTest {
    private static final int CHUNK = 2 << 10;

    @TempDir
    Path tmp;

    private BootstrapJob job(InMemoryRestoreSource leader, int shards) {
        return new BootstrapJob(leader, "leader", tmp.resolve("shards"), shards, () -> new RecoverySettings(CHUNK, 2, 0),
                new RateLimiter.SimpleRateLimiter(0), Clock.systemUTC());
    }

    private InMemoryRestoreSource leader(int shards) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            dirs.add(LeaderCommits.write(tmp.resolve("leader-" + shard), 3, 30, shard));
        }
        return new InMemoryRestoreSource("leader", dirs);
    }

    private static int chunks(InMemoryRestoreSource leader, int shard) {
        return leader.snapshot(shard).files().stream().mapToInt(f -> (int) ((f.length() + CHUNK - 1) / CHUNK)).sum();
    }

    @Test
    void copiesOnlyTheShardsItHolds() throws Exception {
        InMemoryRestoreSource leader = leader(3);
        BootstrapJob job = new BootstrapJob(leader, "leader", tmp.resolve("shards"), 3, List.of(1),
                () -> new RecoverySettings(CHUNK, 2, 0), new RateLimiter.SimpleRateLimiter(0), Clock.systemUTC());

        job.run();

        assertThat(job.states()).extracting(ShardRecoveryState::shard).containsExactly(1);
        assertOpensAs(leader, 1);
        assertThat(tmp.resolve("shards").toFile().list()).as("the other shards' files are not copied")
                .containsExactly("1");
        assertThat(leader.released()).containsExactly("session-1");
    }

    @Test
    void copiesEveryShardAndReleasesTheSession() throws Exception {
        InMemoryRestoreSource leader = leader(3);
        BootstrapJob job = job(leader, 3);

        RestoreManifest manifest = job.run();

        assertThat(leader.opened()).containsExactly("session-1");
        assertThat(leader.released()).containsExactly("session-1");
        assertThat(manifest.sessionUuid()).isEqualTo("session-1");
        for (int shard = 0; shard < 3; shard++) {
            assertOpensAs(leader, shard);
            assertThat(job.states().get(shard).stage()).isEqualTo(ShardRecoveryState.Stage.DONE);
        }
    }

    @Test
    void aSessionLostUnderTheCopyIsReplacedAndWhatWasVerifiedIsKept() throws Exception {
        InMemoryRestoreSource leader = leader(1);
        int chunks = chunks(leader, 0);
        leader.expireAfter(chunks * 2 / 3);
        Set<String> installedWhenSession2Began = ConcurrentHashMap.newKeySet();
        Path shard0 = tmp.resolve("shards").resolve("0");
        leader.onRead(read -> {
            if (read.session().equals("session-2") && installedWhenSession2Began.isEmpty()) {
                try (Stream<Path> files = Files.list(shard0)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(ShardCopier.PART_PREFIX))
                            .forEach(installedWhenSession2Began::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        BootstrapJob job = job(leader, 1);

        RestoreManifest manifest = job.run();

        assertThat(leader.opened()).containsExactly("session-1", "session-2");
        assertThat(leader.released()).containsExactlyInAnyOrder("session-1", "session-2");
        assertThat(manifest.sessionUuid()).isEqualTo("session-2");
        assertOpensAs(leader, 0);
        ShardRecoveryState state = job.states().getFirst();
        assertThat(state.filesReused()).as("files the lost session had verified").isPositive();
        assertThat(state.filesReused() + state.filesRecovered()).isEqualTo(leader.snapshot(0).files().size());
        assertThat(state.bytesFetched()).as("not everything fetched twice")
                .isLessThan(2 * leader.snapshot(0).totalBytes());
        assertThat(installedWhenSession2Began).as("files the lost session had installed").isNotEmpty();
        assertThat(leader.reads().stream().filter(r -> r.session().equals("session-2"))
                .map(InMemoryRestoreSource.Read::file)).doesNotContainAnyElementsOf(installedWhenSession2Began);
    }

    @Test
    void aLeaderWithAnotherShardCountIsRefusedAndItsSessionReleased() throws Exception {
        InMemoryRestoreSource leader = leader(2);

        assertThatThrownBy(() -> job(leader, 3).run()).isInstanceOf(IOException.class)
                .hasMessageContaining("has 2 shards but this follower has 3")
                .hasMessageContaining("delete the follower and follow it again");
        assertThat(leader.released()).containsExactly("session-1");
        assertThat(leader.reads()).isEmpty();
    }

    @Test
    void aShardThatCannotBeCopiedFailsTheJobWithItsError() throws Exception {
        InMemoryRestoreSource leader = leader(2);
        leader.failing(read -> read.shard() == 1);

        assertThatThrownBy(() -> job(leader, 2).run()).isInstanceOf(IOException.class)
                .hasMessageContaining("connection reset");

        assertThat(leader.released()).containsExactly("session-1");
        assertThat(leader.opened()).as("a read error is not a lost session: no new one").hasSize(1);
        try (FSDirectory dir = FSDirectory.open(tmp.resolve("shards").resolve("1"))) {
            assertThat(DirectoryReader.indexExists(dir)).isFalse();
        }
    }

    private void assertOpensAs(InMemoryRestoreSource leader, int shard) throws IOException {
        try (FSDirectory dir = FSDirectory.open(tmp.resolve("shards").resolve(Integer.toString(shard)));
             DirectoryReader reader = DirectoryReader.open(dir)) {
            assertThat(reader.numDocs()).isEqualTo(90);
            assertThat(reader.getIndexCommit().getUserData()).isEqualTo(leader.snapshot(shard).userData());
        }
    }
}
